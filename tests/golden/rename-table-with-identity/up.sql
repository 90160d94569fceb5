ALTER TABLE "public"."log" RENAME TO "events";
--> statement-breakpoint
ALTER TABLE "public"."events" RENAME CONSTRAINT "log_pkey" TO "events_pkey";
