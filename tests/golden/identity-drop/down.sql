-- schemakit:down-checksum sha256:2c0118749158b30d844fdfb45479c54783b26ca73a7f25ba7c387e4576a97c64
ALTER TABLE "public"."m" ALTER COLUMN "n" ADD GENERATED ALWAYS AS IDENTITY;
--> statement-breakpoint
SELECT setval(pg_get_serial_sequence('"public"."m"', 'n'), coalesce(max("n"), 0) + 1, false) FROM "public"."m";
