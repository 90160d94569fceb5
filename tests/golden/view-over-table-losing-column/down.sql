-- schemakit:down-checksum sha256:c9beafb19bbb13474d214fb4655449aa4287bc9162ca4646fbbb4a431572b378
DROP VIEW "public"."v";
--> statement-breakpoint
ALTER TABLE "public"."users" ADD COLUMN "name" text;
--> statement-breakpoint
CREATE VIEW "public"."v" AS SELECT id, name FROM users;
