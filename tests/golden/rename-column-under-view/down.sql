-- schemakit:down-checksum sha256:aa986413d4eed5f354a1312d6079a0f6182c15df13ad0baabfdd0f55751f6aee
ALTER TABLE "public"."users" RENAME COLUMN "full_name" TO "name";
--> statement-breakpoint
DROP VIEW "public"."v";
--> statement-breakpoint
CREATE VIEW "public"."v" AS SELECT id, name FROM users;
