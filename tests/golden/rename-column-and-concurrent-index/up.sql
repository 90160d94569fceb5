-- golden: file 1 of 2
ALTER TABLE "public"."users" RENAME COLUMN "name" TO "full_name";
-- golden: file 2 of 2
-- schemakit:no-transaction
CREATE INDEX CONCURRENTLY "users_full_name_conc" ON "public"."users" USING btree ("full_name");
