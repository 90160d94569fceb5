-- golden: file 1 of 2
ALTER TABLE "public"."users" ADD COLUMN "age" integer;
-- golden: file 2 of 2
-- schemakit:no-transaction
CREATE INDEX CONCURRENTLY "users_age_conc" ON "public"."users" USING btree ("age");
