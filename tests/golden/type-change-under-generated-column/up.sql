ALTER TABLE "public"."users" DROP COLUMN "lower_email";
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "email" SET DATA TYPE text;
--> statement-breakpoint
ALTER TABLE "public"."users" ADD COLUMN "lower_email" text GENERATED ALWAYS AS (lower(email)) STORED;
