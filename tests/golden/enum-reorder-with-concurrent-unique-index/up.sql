DROP INDEX "public"."users_one_sad";
--> statement-breakpoint
ALTER TYPE "public"."mood" RENAME TO "mood__old";
--> statement-breakpoint
CREATE TYPE "public"."mood" AS ENUM ('happy', 'ok', 'sad');
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" SET DATA TYPE "public"."mood" USING "m"::text::"public"."mood";
--> statement-breakpoint
CREATE UNIQUE INDEX "users_one_sad" ON "public"."users" USING btree ("m") WHERE m = 'sad';
--> statement-breakpoint
DROP TYPE "public"."mood__old";
