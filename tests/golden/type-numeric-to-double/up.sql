ALTER TABLE "public"."m" ALTER COLUMN "price" SET DATA TYPE double precision;
