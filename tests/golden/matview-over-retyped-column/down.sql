-- schemakit:down-checksum sha256:0070254f8bcb15f3f073cdc0746b281cb961efd2becd414660a0b908b29f181f
DROP MATERIALIZED VIEW "public"."mv";
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "email" SET DATA TYPE character varying(100);
--> statement-breakpoint
CREATE MATERIALIZED VIEW "public"."mv" AS SELECT id, email FROM users;
--> statement-breakpoint
CREATE UNIQUE INDEX "mv_id" ON "public"."mv" USING btree ("id");
