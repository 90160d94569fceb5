-- schemakit:down-checksum sha256:7bab93c768fd8ed075d1e1d89b32bfb7cffb6a7190d74dbaafeedb2c6051a787
CREATE INDEX "users_name_conc" ON "public"."users" USING btree ("name");
