ALTER TABLE "public"."users" DROP COLUMN "name";
--> statement-breakpoint
ALTER SEQUENCE "public"."counter" OWNED BY NONE;
