ALTER TABLE "public"."users" ADD CONSTRAINT "name_len" CHECK (length(name) < 80);
