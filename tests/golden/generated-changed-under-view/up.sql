DROP VIEW "public"."v";
--> statement-breakpoint
ALTER TABLE "public"."users" DROP COLUMN "lower_email";
--> statement-breakpoint
ALTER TABLE "public"."users" ADD COLUMN "lower_email" text GENERATED ALWAYS AS (upper(email)) STORED;
--> statement-breakpoint
CREATE VIEW "public"."v" AS SELECT id, lower_email FROM users;
