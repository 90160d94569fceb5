-- schemakit:no-transaction
CREATE INDEX CONCURRENTLY "users_name_conc__new" ON "public"."users" USING btree ("name", "email");
--> statement-breakpoint
DROP INDEX CONCURRENTLY "public"."users_name_conc";
--> statement-breakpoint
ALTER INDEX "public"."users_name_conc__new" RENAME TO "users_name_conc";
