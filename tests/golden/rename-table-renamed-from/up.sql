ALTER TABLE "public"."posts" RENAME TO "articles";
--> statement-breakpoint
ALTER SEQUENCE "public"."posts_id_seq" RENAME TO "articles_id_seq";
--> statement-breakpoint
ALTER TABLE "public"."articles" RENAME CONSTRAINT "posts_pkey" TO "articles_pkey";
--> statement-breakpoint
ALTER TABLE "public"."articles" RENAME CONSTRAINT "posts_author_id_fkey" TO "articles_author_id_fkey";
