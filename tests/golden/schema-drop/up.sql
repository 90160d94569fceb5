DROP TABLE "audit"."log";
--> statement-breakpoint
DROP SCHEMA "audit";
