-- schemakit:down-checksum sha256:ef9249bca4ed6933c4545ef9f5369e4757d22f0862a62e1be0a34c41a95735be
ALTER TABLE "public"."users" DROP COLUMN "both";
--> statement-breakpoint
ALTER TABLE "public"."users" DROP COLUMN "nick";
--> statement-breakpoint
ALTER TABLE "public"."users" ADD COLUMN "both" text GENERATED ALWAYS AS (lower(email)) STORED;
