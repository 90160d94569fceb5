ALTER TABLE "public"."users" DROP COLUMN "both";
--> statement-breakpoint
ALTER TABLE "public"."users" ADD COLUMN "nick" text;
--> statement-breakpoint
ALTER TABLE "public"."users" ADD COLUMN "both" text GENERATED ALWAYS AS (lower(email || nick)) STORED;
