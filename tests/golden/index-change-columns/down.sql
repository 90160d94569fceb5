-- schemakit:down-checksum sha256:d00ebf099d02956214bcf6762cec059f107f7daa7c1e965af2e9b27831efa55e
DROP INDEX "public"."i";
--> statement-breakpoint
CREATE INDEX "i" ON "public"."users" USING btree ("name");
