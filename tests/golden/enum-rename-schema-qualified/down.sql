-- schemakit:down-checksum sha256:e30d53cf3cee300a1a071408883a4ba3bb451fa1dfdf075e5a110dea22426e75
ALTER TYPE "app"."feeling" RENAME TO "mood";
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" SET DATA TYPE "app"."mood" USING "m"::text::"app"."mood";
