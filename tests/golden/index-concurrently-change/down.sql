-- schemakit:no-transaction
-- schemakit:down-checksum sha256:4583e23680dff1bab3387f75cb9ee71e76f3cd68050b948fc42d646a9e03a55d
CREATE INDEX CONCURRENTLY "users_name_conc__new" ON "public"."users" USING btree ("name");
--> statement-breakpoint
DROP INDEX CONCURRENTLY "public"."users_name_conc";
--> statement-breakpoint
ALTER INDEX "public"."users_name_conc__new" RENAME TO "users_name_conc";
