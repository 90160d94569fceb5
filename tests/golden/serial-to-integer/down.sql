-- schemakit:down-checksum sha256:a8b594fc59d1826927f5d6344ef9a604d0613d0c4c58146a0851046a275b209e
CREATE SEQUENCE "public"."users_id_seq" AS integer;
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "id" SET DEFAULT nextval('"public"."users_id_seq"'::regclass);
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "id" SET NOT NULL;
--> statement-breakpoint
ALTER SEQUENCE "public"."users_id_seq" OWNED BY "public"."users"."id";
--> statement-breakpoint
SELECT setval(pg_get_serial_sequence('"public"."users"', 'id'), coalesce(max("id"), 0) + 1, false) FROM "public"."users";
