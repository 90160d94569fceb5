-- schemakit:down-checksum sha256:d4c5ab19b898b3cf8d8f27fbcf75cce6376ce635a787595ed02019dbb949eeea
DROP INDEX "public"."users_one_sad";
--> statement-breakpoint
ALTER TYPE "public"."mood" RENAME TO "mood__old";
--> statement-breakpoint
CREATE TYPE "public"."mood" AS ENUM ('sad', 'ok', 'happy');
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" SET DATA TYPE "public"."mood" USING "m"::text::"public"."mood";
--> statement-breakpoint
CREATE UNIQUE INDEX "users_one_sad" ON "public"."users" USING btree ("m") WHERE m = 'sad';
--> statement-breakpoint
DROP TYPE "public"."mood__old";
