-- schemakit:down-checksum sha256:c3f9ab954953c56bed4813cbd52bc1a1f0c91ff13fb5db660bef8defe0c15c5a
ALTER TABLE "public"."m" ALTER COLUMN "n" DROP IDENTITY;
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "n" DROP NOT NULL;
