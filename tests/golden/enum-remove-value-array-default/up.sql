ALTER TYPE "public"."mood" RENAME TO "mood__old";
--> statement-breakpoint
CREATE TYPE "public"."mood" AS ENUM ('sad', 'ok');
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "ms" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "ms" SET DATA TYPE "public"."mood"[] USING "ms"::text[]::"public"."mood"[];
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "ms" SET DEFAULT '{}'::"public"."mood"[];
--> statement-breakpoint
DROP TYPE "public"."mood__old";
