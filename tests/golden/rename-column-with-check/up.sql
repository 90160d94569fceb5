ALTER TABLE "public"."users" RENAME COLUMN "name" TO "full_name";
--> statement-breakpoint
ALTER TABLE "public"."users" RENAME CONSTRAINT "users_name_check" TO "users_full_name_check";
--> statement-breakpoint
ALTER TABLE "public"."users" DROP CONSTRAINT "users_full_name_check";
--> statement-breakpoint
ALTER TABLE "public"."users" ADD CONSTRAINT "users_full_name_check" CHECK (full_name <> '');
