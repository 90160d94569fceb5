-- schemakit:down-checksum sha256:e49b5ab5a86e8578888300df242e376aed75e0d42f2900008dea4ed46b949e73
ALTER TYPE "public"."feeling" RENAME TO "mood";
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" SET DATA TYPE "public"."mood" USING "m"::text::"public"."mood";
