ALTER TYPE "public"."mood" RENAME VALUE 'sad' TO 'blue';
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" SET DEFAULT 'blue';
