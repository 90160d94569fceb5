ALTER TABLE "public"."users" DROP CONSTRAINT "users_email_key";
