-- schemakit:down-checksum sha256:1dd5511e03160b3f0131cc4dca366a6aa15aa2c9e950ca62e4fa9592ed07b89a
CREATE SCHEMA IF NOT EXISTS "app";
--> statement-breakpoint
CREATE TYPE "app"."mood" AS ENUM ('a', 'b');
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "m" SET DATA TYPE "app"."mood" USING "m"::text::"app"."mood";
