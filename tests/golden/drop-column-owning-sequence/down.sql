-- schemakit:down-checksum sha256:efb2fa9da13aedba546dba48d009a8a1267d75034435c7868a6b7aa9f72d1f6d
ALTER TABLE "public"."users" ADD COLUMN "name" text;
--> statement-breakpoint
ALTER SEQUENCE "public"."counter" OWNED BY "public"."users"."name";
