CREATE TYPE "public"."mood" AS ENUM ('sad', 'ok');
--> statement-breakpoint
ALTER TABLE "public"."users" ADD COLUMN "m" "public"."mood" DEFAULT 'ok';
