-- schemakit:down-checksum sha256:881904be8efb7fbcad77abb2f95da63baa40a30843d1ee80d445b083eca8e3c2
ALTER TABLE "public"."users" ADD COLUMN "email" character varying(100) NOT NULL;
--> statement-breakpoint
ALTER TABLE "public"."users" ADD COLUMN "lower_email" text GENERATED ALWAYS AS (lower(email)) STORED;
