ALTER TABLE "public"."users" ALTER COLUMN "a_copy" DROP EXPRESSION;
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "email" SET DATA TYPE text;
