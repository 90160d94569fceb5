-- schemakit:down-checksum sha256:9180d7cd8b4bdffe08bc12d62789a0b589d34e6240a7e9d3b5acda91010522ee
DROP TABLE "public"."other";
--> statement-breakpoint
CREATE SEQUENCE "public"."counter" AS bigint INCREMENT BY 1 NO MINVALUE NO MAXVALUE START WITH 1 CACHE 1 NO CYCLE;
--> statement-breakpoint
CREATE TABLE "public"."users" (
	"id" serial,
	"email" character varying(100) NOT NULL,
	"name" text,
	CONSTRAINT "users_pkey" PRIMARY KEY ("id")
);
--> statement-breakpoint
ALTER SEQUENCE "public"."counter" OWNED BY "public"."users"."name";
