-- golden: file 1 of 2
ALTER TABLE "public"."users" RENAME TO "people";
--> statement-breakpoint
ALTER SEQUENCE "public"."users_id_seq" RENAME TO "people_id_seq";
--> statement-breakpoint
ALTER TABLE "public"."people" RENAME CONSTRAINT "users_pkey" TO "people_pkey";
--> statement-breakpoint
ALTER TABLE "public"."people" ADD CONSTRAINT "people_name_nn_check" CHECK ("name" IS NOT NULL) NOT VALID;
-- golden: file 2 of 2
-- schemakit:no-transaction
ALTER TABLE "public"."people" VALIDATE CONSTRAINT "people_name_nn_check";
--> statement-breakpoint
ALTER TABLE "public"."people" ALTER COLUMN "name" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "public"."people" DROP CONSTRAINT "people_name_nn_check";
