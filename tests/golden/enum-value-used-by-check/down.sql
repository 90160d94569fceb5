-- golden: file 1 of 2
-- schemakit:down-checksum sha256:1437ad4e5753b3ef7a1e37b6f96adc80affc13de9c3ce1e035b4303a4c983ee9
ALTER TABLE "public"."users" DROP CONSTRAINT "users_m_check";
-- golden: file 2 of 2
-- schemakit:down-checksum sha256:3ef5c795c771001007b93bc6ecd481410c379b2798a49b7a681bd7dd173ed087
ALTER TYPE "public"."mood" RENAME TO "mood__old";
--> statement-breakpoint
CREATE TYPE "public"."mood" AS ENUM ('sad', 'ok');
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" SET DATA TYPE "public"."mood" USING "m"::text::"public"."mood";
--> statement-breakpoint
DROP TYPE "public"."mood__old";
