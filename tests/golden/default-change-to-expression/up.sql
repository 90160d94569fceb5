ALTER TABLE "public"."users" ALTER COLUMN "name" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "name" SET DEFAULT upper('b');
