ALTER TABLE "public"."m" ALTER COLUMN "u" SET DATA TYPE text USING "u"::text;
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "n" SET DATA TYPE text USING "n"::text;
