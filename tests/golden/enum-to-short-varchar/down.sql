-- schemakit:down-checksum sha256:56c1859ce3bd321f2971cd63762f67cdbae304308faf4832cd13d532b130c358
CREATE TYPE "public"."mood" AS ENUM ('sad', 'happy');
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "m" SET DATA TYPE "public"."mood" USING "m"::text::"public"."mood";
