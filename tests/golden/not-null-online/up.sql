-- golden: file 1 of 2
ALTER TABLE "public"."users" ADD CONSTRAINT "users_name_nn_check" CHECK ("name" IS NOT NULL) NOT VALID;
-- golden: file 2 of 2
-- schemakit:no-transaction
ALTER TABLE "public"."users" VALIDATE CONSTRAINT "users_name_nn_check";
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "name" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "public"."users" DROP CONSTRAINT "users_name_nn_check";
