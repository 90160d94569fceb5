-- schemakit:no-transaction
-- schemakit:down-checksum sha256:a6a3c29a0aee992bf2f8043c4e880d8dd5cb5fed805d2e111f5f0457b644eb23
CREATE UNIQUE INDEX CONCURRENTLY "users_email__new" ON "public"."users" USING btree ("email");
--> statement-breakpoint
DROP INDEX CONCURRENTLY "public"."users_email";
--> statement-breakpoint
ALTER INDEX "public"."users_email__new" RENAME TO "users_email";
