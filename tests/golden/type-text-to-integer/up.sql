ALTER TABLE "public"."users" ALTER COLUMN "name" SET DATA TYPE integer USING "name"::integer;
