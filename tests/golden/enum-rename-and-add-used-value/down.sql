-- golden: file 1 of 2
-- schemakit:down-checksum sha256:d275db40b3924bd78fdd054cb39ed613c420a5ebd9e2a8d0bbe53e256ef57746
ALTER TYPE "public"."feeling" RENAME TO "mood";
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" DROP DEFAULT;
-- golden: file 2 of 2
-- schemakit:down-checksum sha256:3ef5c795c771001007b93bc6ecd481410c379b2798a49b7a681bd7dd173ed087
ALTER TYPE "public"."mood" RENAME TO "mood__old";
--> statement-breakpoint
CREATE TYPE "public"."mood" AS ENUM ('sad', 'ok');
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" SET DATA TYPE "public"."mood" USING "m"::text::"public"."mood";
--> statement-breakpoint
DROP TYPE "public"."mood__old";
