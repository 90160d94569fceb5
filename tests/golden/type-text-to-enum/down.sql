-- schemakit:down-checksum sha256:0c21f1d517d3549d6d39340411cdb70addd3bc46adf673abe6bb57b7c0481ea9
ALTER TABLE "public"."m" ALTER COLUMN "m" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "m" SET DATA TYPE text USING "m"::text::text;
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "m" SET DEFAULT 'a';
--> statement-breakpoint
DROP TYPE "public"."mood";
