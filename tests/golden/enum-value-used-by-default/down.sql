-- golden: file 1 of 2
-- schemakit:down-checksum sha256:be04221178d437ac7ab4cfd4a20b186f142f8803575f4bf797fb711525957e8a
ALTER TABLE "public"."users" ALTER COLUMN "m" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" SET DEFAULT 'ok';
-- golden: file 2 of 2
-- schemakit:down-checksum sha256:9f55e52a244229ea15924d68ff2c4ab66c615febe450d220a37edf278adf6610
ALTER TYPE "public"."mood" RENAME TO "mood__old";
--> statement-breakpoint
CREATE TYPE "public"."mood" AS ENUM ('sad', 'ok');
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" SET DATA TYPE "public"."mood" USING "m"::text::"public"."mood";
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" SET DEFAULT 'ok';
--> statement-breakpoint
DROP TYPE "public"."mood__old";
