ALTER TABLE "public"."users" RENAME TO "people";
--> statement-breakpoint
ALTER SEQUENCE "public"."users_id_seq" RENAME TO "people_id_seq";
--> statement-breakpoint
ALTER TABLE "public"."people" RENAME CONSTRAINT "users_pkey" TO "people_pkey";
