ALTER TABLE "public"."users" DROP COLUMN "name";
