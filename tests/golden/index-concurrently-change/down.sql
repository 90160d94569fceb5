-- golden: file 1 of 2
-- schemakit:no-transaction
-- schemakit:down-checksum sha256:cf844d1a77d1dd44e19c9786e78c8b2a0ac896bf27bf673e3e492fe5b8e20711
DROP INDEX CONCURRENTLY "public"."users_name_conc";
-- golden: file 2 of 2
-- schemakit:down-checksum sha256:7bab93c768fd8ed075d1e1d89b32bfb7cffb6a7190d74dbaafeedb2c6051a787
CREATE INDEX "users_name_conc" ON "public"."users" USING btree ("name");
