-- schemakit:down-checksum sha256:7ac17f8746eb02aeacb13b7b6e6443b2da0edf465e25719fd6688c4f3401b406
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
