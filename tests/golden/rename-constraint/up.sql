ALTER TABLE "public"."users" RENAME CONSTRAINT "name_short" TO "name_len";
