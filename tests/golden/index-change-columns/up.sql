DROP INDEX "public"."i";
--> statement-breakpoint
CREATE INDEX "i" ON "public"."users" USING btree ("name", "email" DESC);
