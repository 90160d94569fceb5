ALTER TABLE "public"."users" ALTER COLUMN "name" SET DEFAULT 'anon';
