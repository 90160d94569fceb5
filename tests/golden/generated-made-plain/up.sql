ALTER TABLE "public"."users" ALTER COLUMN "lower_email" DROP EXPRESSION;
