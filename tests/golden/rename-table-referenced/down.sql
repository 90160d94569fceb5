-- schemakit:down-checksum sha256:d1161c79517ab7311c07687d9d09e1aab5991fb7886a0c05be2ea73645da7bfa
ALTER TABLE "public"."people" RENAME TO "users";
--> statement-breakpoint
ALTER SEQUENCE "public"."people_id_seq" RENAME TO "users_id_seq";
--> statement-breakpoint
ALTER TABLE "public"."users" RENAME CONSTRAINT "people_pkey" TO "users_pkey";
