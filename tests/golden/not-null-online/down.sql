-- golden: file 1 of 2
-- schemakit:down-checksum sha256:016e3c89f8bc7da2ac9a6860e29b4e5332a3d573e1dddd3dc38b0298ebeb50c3
ALTER TABLE "public"."users" ALTER COLUMN "name" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "public"."users" ADD CONSTRAINT "users_name_nn_check" CHECK ("name" IS NOT NULL) NOT VALID;
-- golden: file 2 of 2
-- schemakit:down-checksum sha256:10e32d853ae83fc3edc0eed53aeb838006f632718e7d43fdb0aa9a745054a092
ALTER TABLE "public"."users" DROP CONSTRAINT "users_name_nn_check";
