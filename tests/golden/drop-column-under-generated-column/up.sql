ALTER TABLE "public"."users" DROP COLUMN "email";
--> statement-breakpoint
ALTER TABLE "public"."users" DROP COLUMN "lower_email";
