-- schemakit:down-checksum sha256:4e9f00ec3d90b6d573b01c281b81c68e29f732ac4a6cf1d7afcd4c4795e8cb86
ALTER TABLE "public"."m" ALTER COLUMN "m" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "m" SET DATA TYPE text USING "m"::text;
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "m" SET DEFAULT 'a';
--> statement-breakpoint
DROP TYPE "public"."mood";
