-- schemakit:down-checksum sha256:010b8f08ca3a28a2329f1c568427d25ff7dcbed401119b2c8575da70ce2715c7
ALTER TABLE "blog"."articles" RENAME TO "posts";
--> statement-breakpoint
ALTER SEQUENCE "blog"."articles_id_seq" RENAME TO "posts_id_seq";
--> statement-breakpoint
ALTER TABLE "blog"."posts" RENAME CONSTRAINT "articles_pkey" TO "posts_pkey";
--> statement-breakpoint
ALTER TABLE "blog"."posts" RENAME CONSTRAINT "articles_title_key" TO "posts_title_key";
