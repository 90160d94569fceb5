ALTER TABLE "public"."posts" DROP CONSTRAINT "posts_author_id_fkey";
--> statement-breakpoint
DROP TABLE "public"."posts";
