ALTER TABLE "public"."users" DROP COLUMN "lower_email";
--> statement-breakpoint
ALTER TABLE "public"."users" DROP COLUMN "email";
