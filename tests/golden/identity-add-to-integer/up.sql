ALTER TABLE "public"."m" ALTER COLUMN "n" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "n" ADD GENERATED ALWAYS AS IDENTITY;
--> statement-breakpoint
SELECT setval(pg_get_serial_sequence('"public"."m"', 'n'), coalesce(max("n"), 0) + 1, false) FROM "public"."m";
