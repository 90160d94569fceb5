-- golden: file 1 of 2
DROP INDEX "public"."users_name_conc";
-- golden: file 2 of 2
-- schemakit:no-transaction
CREATE INDEX CONCURRENTLY "users_name_conc" ON "public"."users" USING btree ("name", "email");
