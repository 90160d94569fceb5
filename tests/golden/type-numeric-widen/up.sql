ALTER TABLE "public"."m" ALTER COLUMN "price" SET DATA TYPE numeric(12,4);
