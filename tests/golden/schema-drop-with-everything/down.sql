-- schemakit:down-checksum sha256:79fc60d7bcf025ffe09906d582f00f7fa79d55c69ec0e92744a2382c3ce6cf47
CREATE SCHEMA IF NOT EXISTS "app";
--> statement-breakpoint
CREATE TYPE "app"."mood" AS ENUM ('sad', 'ok');
--> statement-breakpoint
CREATE SEQUENCE "app"."counter" AS bigint INCREMENT BY 1 NO MINVALUE NO MAXVALUE START WITH 1 CACHE 1 NO CYCLE;
--> statement-breakpoint
CREATE TABLE "app"."log" (
	"id" serial,
	"m" "app"."mood" DEFAULT 'ok',
	CONSTRAINT "log_pkey" PRIMARY KEY ("id")
);
--> statement-breakpoint
CREATE VIEW "app"."recent" AS SELECT id, m FROM app.log;
