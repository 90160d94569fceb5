-- schemakit:down-checksum sha256:4ab83c39b6962a71d979f59f70133d9fa2b7a8d1086f0f3387eccd2ff2280246
ALTER TABLE "public"."events" RENAME TO "log";
--> statement-breakpoint
ALTER TABLE "public"."log" RENAME CONSTRAINT "events_pkey" TO "log_pkey";
