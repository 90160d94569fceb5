ALTER TABLE "public"."m" ALTER COLUMN "m" SET DATA TYPE text USING "m"::text;
--> statement-breakpoint
DROP TYPE "app"."mood";
--> statement-breakpoint
DROP SCHEMA "app";
