-- golden: file 1 of 2
-- schemakit:no-transaction
ALTER TYPE "public"."mood" ADD VALUE 'happy';
-- golden: file 2 of 2
ALTER TYPE "public"."mood" RENAME TO "feeling";
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" SET DEFAULT 'happy';
