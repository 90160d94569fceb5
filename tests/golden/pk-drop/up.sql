ALTER TABLE "public"."users" DROP CONSTRAINT "users_pkey";
