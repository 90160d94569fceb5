-- schemakit:down-checksum sha256:b87b0909ed6478b6359e8a61306095fc5e767b7b917d04628c49c0b27238f98f
ALTER TABLE "public"."users" ALTER COLUMN "id" SET DATA TYPE integer;
--> statement-breakpoint
ALTER SEQUENCE "public"."users_id_seq" AS integer;
