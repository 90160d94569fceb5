-- golden: file 1 of 2
-- schemakit:down-checksum sha256:5e3acf6b00b597805ad90f6cf70967a22e889b2acee0d65805f6eab13ba291c9
ALTER TABLE "public"."users" ALTER COLUMN "name" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "public"."users" ADD CONSTRAINT "users_name_nn_check" CHECK ("name" IS NOT NULL);
-- golden: file 2 of 2
-- schemakit:down-checksum sha256:10e32d853ae83fc3edc0eed53aeb838006f632718e7d43fdb0aa9a745054a092
ALTER TABLE "public"."users" DROP CONSTRAINT "users_name_nn_check";
