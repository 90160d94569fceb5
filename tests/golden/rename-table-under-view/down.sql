-- schemakit:down-checksum sha256:abbb9ded1c4763b529eb48b670d8374e4553b5a30a2eb7ca3397fbb3c5668cc1
ALTER TABLE "public"."people" RENAME TO "users";
--> statement-breakpoint
ALTER SEQUENCE "public"."people_id_seq" RENAME TO "users_id_seq";
--> statement-breakpoint
ALTER TABLE "public"."users" RENAME CONSTRAINT "people_pkey" TO "users_pkey";
--> statement-breakpoint
DROP VIEW "public"."v";
--> statement-breakpoint
CREATE VIEW "public"."v" AS SELECT id FROM users;
