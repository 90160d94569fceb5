ALTER TABLE "public"."users" DROP CONSTRAINT "c";
--> statement-breakpoint
ALTER TABLE "public"."users" ADD CONSTRAINT "c" CHECK (length(name) < 90);
