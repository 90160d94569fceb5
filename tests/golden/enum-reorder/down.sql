-- schemakit:down-checksum sha256:8401b51aef7151203de25210b56b1f628f0dcf0060f0570339d7c3325277d4f9
ALTER TYPE "public"."mood" RENAME TO "mood__old";
--> statement-breakpoint
CREATE TYPE "public"."mood" AS ENUM ('sad', 'ok', 'happy');
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" SET DATA TYPE "public"."mood" USING "m"::text::"public"."mood";
--> statement-breakpoint
DROP TYPE "public"."mood__old";
