ALTER TYPE "public"."mood" RENAME TO "feeling";
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" SET DATA TYPE "public"."feeling" USING "m"::text::"public"."feeling";
