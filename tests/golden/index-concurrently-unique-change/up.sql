-- schemakit:no-transaction
CREATE UNIQUE INDEX CONCURRENTLY "users_email__new" ON "public"."users" USING btree (lower(email));
--> statement-breakpoint
DROP INDEX CONCURRENTLY "public"."users_email";
--> statement-breakpoint
ALTER INDEX "public"."users_email__new" RENAME TO "users_email";
