-- schemakit:down-checksum sha256:3f8075bff09d65b10833245720f57c875fd4692ccc54207f789372f706e6c0c6
ALTER TABLE "public"."m" ALTER COLUMN "token" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "token" SET DATA TYPE character varying(36) USING "token"::character varying(36);
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "token" SET DEFAULT '00000000-0000-0000-0000-000000000000';
