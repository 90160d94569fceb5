CREATE TYPE "public"."mood" AS ENUM ('a', 'b');
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "m" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "m" SET DATA TYPE "public"."mood" USING "m"::text::"public"."mood";
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "m" SET DEFAULT 'a';
