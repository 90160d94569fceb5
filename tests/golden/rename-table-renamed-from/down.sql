-- schemakit:down-checksum sha256:06af928795546aff5f54267afe3a23d73d712f48069408c35234cac66dcfbab9
ALTER TABLE "public"."articles" RENAME TO "posts";
--> statement-breakpoint
ALTER SEQUENCE "public"."articles_id_seq" RENAME TO "posts_id_seq";
--> statement-breakpoint
ALTER TABLE "public"."posts" RENAME CONSTRAINT "articles_pkey" TO "posts_pkey";
--> statement-breakpoint
ALTER TABLE "public"."posts" RENAME CONSTRAINT "articles_author_id_fkey" TO "posts_author_id_fkey";
