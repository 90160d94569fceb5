DROP VIEW "public"."v";
--> statement-breakpoint
CREATE VIEW "public"."v" AS SELECT id, email FROM users;
