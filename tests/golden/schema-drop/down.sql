-- schemakit:down-checksum sha256:c0440c80a51b237ffc52dbe5a5749b98a2cb4ad839b79ec18a6e62f9e9f3cedd
CREATE SCHEMA IF NOT EXISTS "audit";
--> statement-breakpoint
CREATE TABLE "audit"."log" (
	"id" bigint GENERATED ALWAYS AS IDENTITY,
	"line" text
);
