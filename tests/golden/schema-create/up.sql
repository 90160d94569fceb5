CREATE SCHEMA IF NOT EXISTS "audit";
--> statement-breakpoint
CREATE TABLE "audit"."log" (
	"id" bigint GENERATED ALWAYS AS IDENTITY,
	"line" text
);
