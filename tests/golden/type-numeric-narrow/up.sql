ALTER TABLE "public"."m" ALTER COLUMN "price" SET DATA TYPE numeric(8,2);
