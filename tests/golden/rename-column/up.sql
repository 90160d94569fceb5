ALTER TABLE "public"."users" RENAME COLUMN "name" TO "full_name";
