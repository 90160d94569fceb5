-- schemakit:down-checksum sha256:d8504b9d7fcfe0f7ab8c8d45ff7e910f77f7457a8e725ac44f22e978a82434c8
ALTER TABLE "public"."users" ADD CONSTRAINT "users_email_key" UNIQUE ("email");
