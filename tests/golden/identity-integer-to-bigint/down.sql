-- schemakit:down-checksum sha256:754792b646caf6b84a7b52f7fd6f7bfb45a604f985b7ed3ff5c50a9c5445ee0d
ALTER TABLE "public"."m" ALTER COLUMN "n" DROP IDENTITY;
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "n" SET DATA TYPE integer;
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "n" ADD GENERATED ALWAYS AS IDENTITY;
--> statement-breakpoint
SELECT setval(pg_get_serial_sequence('"public"."m"', 'n'), coalesce(max("n"), 0) + 1, false) FROM "public"."m";
