DROP INDEX "public"."users_m";
--> statement-breakpoint
DROP INDEX "public"."users_sad";
--> statement-breakpoint
ALTER TYPE "public"."mood" RENAME TO "mood__old";
--> statement-breakpoint
CREATE TYPE "public"."mood" AS ENUM ('sad', 'ok');
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" SET DATA TYPE "public"."mood" USING "m"::text::"public"."mood";
--> statement-breakpoint
CREATE INDEX "users_m" ON "public"."users" USING btree ("m");
--> statement-breakpoint
CREATE INDEX "users_sad" ON "public"."users" USING btree ((m = 'sad'));
--> statement-breakpoint
DROP TYPE "public"."mood__old";
