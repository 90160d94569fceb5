-- golden: file 1 of 2
-- schemakit:down-checksum sha256:974625f8d03d3deb9313061364a871614e49b62954c7d0f3ea1b3bc10e21170c
ALTER TABLE "public"."people" ALTER COLUMN "name" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "public"."people" ADD CONSTRAINT "people_name_nn_check" CHECK ("name" IS NOT NULL);
-- golden: file 2 of 2
-- schemakit:down-checksum sha256:2b43e970ea1f81d388e5c3ea80341c297db5ddae9eb5ec3d8aea270dcb2252ac
ALTER TABLE "public"."people" RENAME TO "users";
--> statement-breakpoint
ALTER SEQUENCE "public"."people_id_seq" RENAME TO "users_id_seq";
--> statement-breakpoint
ALTER TABLE "public"."users" RENAME CONSTRAINT "people_pkey" TO "users_pkey";
--> statement-breakpoint
ALTER TABLE "public"."users" DROP CONSTRAINT "people_name_nn_check";
