ALTER TABLE "blog"."posts" RENAME TO "articles";
--> statement-breakpoint
ALTER SEQUENCE "blog"."posts_id_seq" RENAME TO "articles_id_seq";
--> statement-breakpoint
ALTER TABLE "blog"."articles" RENAME CONSTRAINT "posts_pkey" TO "articles_pkey";
--> statement-breakpoint
ALTER TABLE "blog"."articles" RENAME CONSTRAINT "posts_title_key" TO "articles_title_key";
