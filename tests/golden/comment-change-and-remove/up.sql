COMMENT ON COLUMN "public"."users"."name" IS NULL;
--> statement-breakpoint
COMMENT ON TABLE "public"."users" IS 'new';
