DROP VIEW "public"."w";
--> statement-breakpoint
DROP VIEW "public"."v";
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "email" SET DATA TYPE text;
--> statement-breakpoint
CREATE VIEW "public"."v" AS SELECT id, email FROM users;
--> statement-breakpoint
CREATE VIEW "public"."w" AS SELECT id, email FROM v;
