ALTER TABLE "public"."m" ALTER COLUMN "n" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "n" SET DATA TYPE bigint;
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "n" SET DEFAULT 0;
