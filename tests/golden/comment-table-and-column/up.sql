COMMENT ON COLUMN "public"."users"."name" IS 'shown to others';
--> statement-breakpoint
COMMENT ON TABLE "public"."users" IS 'people who sign in';
