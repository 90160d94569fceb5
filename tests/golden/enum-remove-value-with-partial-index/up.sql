DROP INDEX "public"."users_ok";
--> statement-breakpoint
ALTER TYPE "public"."mood" RENAME TO "mood__old";
--> statement-breakpoint
CREATE TYPE "public"."mood" AS ENUM ('sad', 'ok');
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" SET DATA TYPE "public"."mood" USING "m"::text::"public"."mood";
--> statement-breakpoint
CREATE INDEX "users_ok" ON "public"."users" USING btree ("email") WHERE m = 'ok';
--> statement-breakpoint
DROP TYPE "public"."mood__old";
