ALTER TABLE "public"."users" ADD CONSTRAINT "users_email_name_key" UNIQUE NULLS NOT DISTINCT ("email", "name");
