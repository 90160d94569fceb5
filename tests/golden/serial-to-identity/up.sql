ALTER TABLE "public"."users" ALTER COLUMN "id" DROP DEFAULT;
--> statement-breakpoint
DROP SEQUENCE "public"."users_id_seq";
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "id" ADD GENERATED ALWAYS AS IDENTITY;
--> statement-breakpoint
SELECT setval(pg_get_serial_sequence('"public"."users"', 'id'), coalesce(max("id"), 0) + 1, false) FROM "public"."users";
