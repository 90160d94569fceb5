ALTER TABLE "public"."m" ALTER COLUMN "at" SET DATA TYPE timestamp(0) without time zone;
