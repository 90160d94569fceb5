ALTER TABLE "public"."users" ALTER COLUMN "id" SET DATA TYPE bigint;
--> statement-breakpoint
ALTER SEQUENCE "public"."users_id_seq" AS bigint;
