-- schemakit:down-checksum sha256:5f7d37faecce5174a0e4a23b69567eddbbcc793e2879c798bfd24e1a5575aa10
DROP VIEW "public"."published_posts";
--> statement-breakpoint
ALTER TABLE "blog"."post_tags" DROP CONSTRAINT "post_tags_post_id_fkey";
--> statement-breakpoint
ALTER TABLE "public"."posts" DROP CONSTRAINT "posts_author_id_fkey";
--> statement-breakpoint
DROP TABLE "blog"."post_tags";
--> statement-breakpoint
DROP TABLE "public"."posts";
--> statement-breakpoint
DROP TABLE "public"."users";
--> statement-breakpoint
DROP TYPE "public"."mood";
--> statement-breakpoint
DROP SCHEMA "blog";
