DROP VIEW "public"."v";
--> statement-breakpoint
ALTER TABLE "public"."users" DROP COLUMN "name";
--> statement-breakpoint
CREATE VIEW "public"."v" AS SELECT id FROM users;
