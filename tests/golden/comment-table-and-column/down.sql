-- schemakit:down-checksum sha256:77247252aa7bd39bc2ffdf25fffc551242a7027ef46271e193a72f3a2b0ff9a4
COMMENT ON COLUMN "public"."users"."name" IS NULL;
--> statement-breakpoint
COMMENT ON TABLE "public"."users" IS NULL;
