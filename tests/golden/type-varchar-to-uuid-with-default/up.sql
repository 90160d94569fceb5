ALTER TABLE "public"."m" ALTER COLUMN "token" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "token" SET DATA TYPE uuid USING "token"::uuid;
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "token" SET DEFAULT gen_random_uuid();
