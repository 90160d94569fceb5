ALTER TABLE "public"."m" ALTER COLUMN "n" DROP DEFAULT;
--> statement-breakpoint
DROP SEQUENCE "public"."counter";
