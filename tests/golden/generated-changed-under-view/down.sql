-- schemakit:down-checksum sha256:07517bb3b8f6248e60da3a6d22882f1cefd0eec5ac7e029f6d841720d05815c5
DROP VIEW "public"."v";
--> statement-breakpoint
ALTER TABLE "public"."users" DROP COLUMN "lower_email";
--> statement-breakpoint
ALTER TABLE "public"."users" ADD COLUMN "lower_email" text GENERATED ALWAYS AS (lower(email)) STORED;
--> statement-breakpoint
CREATE VIEW "public"."v" AS SELECT id, lower_email FROM users;
