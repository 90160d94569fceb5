ALTER TABLE "public"."users" DROP CONSTRAINT "users_lower_email_check";
--> statement-breakpoint
DROP INDEX "public"."users_lower_email";
--> statement-breakpoint
ALTER TABLE "public"."users" DROP COLUMN "lower_email";
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "email" SET DATA TYPE text;
--> statement-breakpoint
ALTER TABLE "public"."users" ADD COLUMN "lower_email" text GENERATED ALWAYS AS (lower(email)) STORED;
--> statement-breakpoint
ALTER TABLE "public"."users" ADD CONSTRAINT "users_lower_email_check" CHECK (lower_email <> '');
--> statement-breakpoint
CREATE UNIQUE INDEX "users_lower_email" ON "public"."users" USING btree ("lower_email");
--> statement-breakpoint
COMMENT ON COLUMN "public"."users"."lower_email" IS 'derived';
