CREATE UNIQUE INDEX "users_lower_email" ON "public"."users" USING btree (lower(email));
