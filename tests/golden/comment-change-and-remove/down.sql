-- schemakit:down-checksum sha256:fc4f855e5c965133bbcc694fd53c67bdc1ec482efb9db2f6a2b1079f1ca710fa
COMMENT ON COLUMN "public"."users"."name" IS 'it''s old';
--> statement-breakpoint
COMMENT ON TABLE "public"."users" IS 'old';
