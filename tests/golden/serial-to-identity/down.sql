-- schemakit:down-checksum sha256:aad3c266f9207c433241af8d3efe2ac8e9937ff119c2d07479b07998c3bf69d8
ALTER TABLE "public"."users" ALTER COLUMN "id" DROP IDENTITY;
--> statement-breakpoint
CREATE SEQUENCE "public"."users_id_seq" AS integer;
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "id" SET DEFAULT nextval('"public"."users_id_seq"'::regclass);
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "id" SET NOT NULL;
--> statement-breakpoint
ALTER SEQUENCE "public"."users_id_seq" OWNED BY "public"."users"."id";
--> statement-breakpoint
SELECT setval(pg_get_serial_sequence('"public"."users"', 'id'), coalesce(max("id"), 0) + 1, false) FROM "public"."users";
