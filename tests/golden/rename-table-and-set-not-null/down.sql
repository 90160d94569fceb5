-- golden: file 1 of 2
-- schemakit:down-checksum sha256:08a3dfc09a059994823b975c4a154c837bfe62fd1bca0b4949d3fa193bac572a
ALTER TABLE "public"."people" ALTER COLUMN "name" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "public"."people" ADD CONSTRAINT "people_name_nn_check" CHECK ("name" IS NOT NULL) NOT VALID;
-- golden: file 2 of 2
-- schemakit:down-checksum sha256:2b43e970ea1f81d388e5c3ea80341c297db5ddae9eb5ec3d8aea270dcb2252ac
ALTER TABLE "public"."people" RENAME TO "users";
--> statement-breakpoint
ALTER SEQUENCE "public"."people_id_seq" RENAME TO "users_id_seq";
--> statement-breakpoint
ALTER TABLE "public"."users" RENAME CONSTRAINT "people_pkey" TO "users_pkey";
--> statement-breakpoint
ALTER TABLE "public"."users" DROP CONSTRAINT "people_name_nn_check";
