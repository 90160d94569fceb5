ALTER TABLE "public"."users" DROP CONSTRAINT "users_m_check";
--> statement-breakpoint
ALTER TYPE "public"."mood" RENAME TO "mood__old";
--> statement-breakpoint
CREATE TYPE "public"."mood" AS ENUM ('sad', 'ok');
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" SET DATA TYPE "public"."mood" USING "m"::text::"public"."mood";
--> statement-breakpoint
ALTER TABLE "public"."users" ADD CONSTRAINT "users_m_check" CHECK (m <> 'sad');
--> statement-breakpoint
DROP TYPE "public"."mood__old";
