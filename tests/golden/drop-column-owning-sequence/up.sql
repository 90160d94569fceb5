ALTER SEQUENCE "public"."counter" OWNED BY NONE;
--> statement-breakpoint
ALTER TABLE "public"."users" DROP COLUMN "name";
