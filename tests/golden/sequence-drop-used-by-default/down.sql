-- schemakit:down-checksum sha256:30241b32504537b4a53d829775805eb2d562733c1c7de1c7f15ebf51a6949adb
CREATE SEQUENCE "public"."counter" AS bigint INCREMENT BY 1 NO MINVALUE NO MAXVALUE START WITH 1 CACHE 1 NO CYCLE;
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "n" SET DEFAULT nextval('counter');
