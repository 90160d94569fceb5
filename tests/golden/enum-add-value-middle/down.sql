-- schemakit:down-checksum sha256:7a9bb7582e225251703d81bf09245d0d9a81462cd66d5b624bd891f3a04179ab
ALTER TYPE "public"."mood" RENAME TO "mood__old";
--> statement-breakpoint
CREATE TYPE "public"."mood" AS ENUM ('sad', 'happy');
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" SET DATA TYPE "public"."mood" USING "m"::text::"public"."mood";
--> statement-breakpoint
DROP TYPE "public"."mood__old";
