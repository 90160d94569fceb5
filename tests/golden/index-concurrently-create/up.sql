-- schemakit:no-transaction
CREATE INDEX CONCURRENTLY "users_name_conc" ON "public"."users" USING btree ("name");
