-- schemakit:down-checksum sha256:285351b69f733d5438039476b7d09f09a28c2f2bb6de0a15bf5ca2bb1b1b476c
DROP VIEW "public"."v";
--> statement-breakpoint
CREATE VIEW "public"."v" AS SELECT id FROM users;
