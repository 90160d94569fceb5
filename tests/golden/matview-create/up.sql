CREATE MATERIALIZED VIEW "public"."mv" AS SELECT id, email FROM users;
--> statement-breakpoint
CREATE UNIQUE INDEX "mv_id" ON "public"."mv" USING btree ("id");
