ALTER TABLE "public"."users" DROP COLUMN "m";
--> statement-breakpoint
DROP TYPE "public"."mood";
