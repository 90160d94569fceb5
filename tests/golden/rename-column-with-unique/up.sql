ALTER TABLE "public"."users" RENAME COLUMN "email" TO "mail";
--> statement-breakpoint
ALTER TABLE "public"."users" RENAME CONSTRAINT "users_email_key" TO "users_mail_key";
