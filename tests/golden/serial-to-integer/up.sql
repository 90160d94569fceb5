ALTER TABLE "public"."users" ALTER COLUMN "id" DROP DEFAULT;
--> statement-breakpoint
DROP SEQUENCE "public"."users_id_seq";
