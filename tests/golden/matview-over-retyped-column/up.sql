DROP MATERIALIZED VIEW "public"."mv";
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "email" SET DATA TYPE character varying(200);
--> statement-breakpoint
CREATE MATERIALIZED VIEW "public"."mv" AS SELECT id, email FROM users;
--> statement-breakpoint
CREATE UNIQUE INDEX "mv_id" ON "public"."mv" USING btree ("id");
