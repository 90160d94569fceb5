-- golden: file 1 of 2
-- schemakit:down-checksum sha256:7be350c645fac4605be2e76a32fa41579ff4787f315095ab802cd4f00ce9bcda
ALTER TYPE "public"."size" RENAME TO "size__old";
--> statement-breakpoint
CREATE TYPE "public"."size" AS ENUM ('s', 'm');
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "sz" SET DATA TYPE "public"."size" USING "sz"::text::"public"."size";
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" DROP DEFAULT;
--> statement-breakpoint
DROP TYPE "public"."size__old";
-- golden: file 2 of 2
-- schemakit:down-checksum sha256:3ef5c795c771001007b93bc6ecd481410c379b2798a49b7a681bd7dd173ed087
ALTER TYPE "public"."mood" RENAME TO "mood__old";
--> statement-breakpoint
CREATE TYPE "public"."mood" AS ENUM ('sad', 'ok');
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" SET DATA TYPE "public"."mood" USING "m"::text::"public"."mood";
--> statement-breakpoint
DROP TYPE "public"."mood__old";
