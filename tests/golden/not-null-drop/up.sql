ALTER TABLE "public"."users" ALTER COLUMN "email" DROP NOT NULL;
