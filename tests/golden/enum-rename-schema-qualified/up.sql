ALTER TYPE "app"."mood" RENAME TO "feeling";
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" SET DATA TYPE "app"."feeling" USING "m"::text::"app"."feeling";
