ALTER TABLE "public"."m" ALTER COLUMN "n" SET DATA TYPE integer USING "n"::integer;
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "n" SET NOT NULL;
