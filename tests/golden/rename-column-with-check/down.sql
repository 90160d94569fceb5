-- schemakit:down-checksum sha256:b080538bf2cd6638361401720cf370c0cda96c575f77a1bdbbc554ffa24d004a
ALTER TABLE "public"."users" RENAME COLUMN "full_name" TO "name";
--> statement-breakpoint
ALTER TABLE "public"."users" RENAME CONSTRAINT "users_full_name_check" TO "users_name_check";
--> statement-breakpoint
ALTER TABLE "public"."users" DROP CONSTRAINT "users_name_check";
--> statement-breakpoint
ALTER TABLE "public"."users" ADD CONSTRAINT "users_name_check" CHECK (name <> '');
