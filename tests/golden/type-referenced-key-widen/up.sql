ALTER TABLE "public"."posts" ALTER COLUMN "author_id" SET DATA TYPE bigint;
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "id" SET DATA TYPE bigint;
--> statement-breakpoint
ALTER SEQUENCE "public"."users_id_seq" AS bigint;
