ALTER TABLE "public"."users" RENAME COLUMN "name" TO "full_name";
--> statement-breakpoint
DROP VIEW "public"."v";
--> statement-breakpoint
CREATE VIEW "public"."v" AS SELECT id, full_name FROM users;
