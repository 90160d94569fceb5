ALTER TABLE "public"."m" ALTER COLUMN "n" SET DATA TYPE bigint;
