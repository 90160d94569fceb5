CREATE INDEX "users_part" ON "public"."users" USING btree ("email") INCLUDE ("name") WHERE name IS NOT NULL;
