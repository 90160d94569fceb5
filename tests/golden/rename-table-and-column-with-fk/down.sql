-- schemakit:down-checksum sha256:c9e8da54eec4f24ac2daf7fa13460569e6c258280ce4e61bcd2f299e70f1d824
ALTER TABLE "public"."articles" RENAME TO "posts";
--> statement-breakpoint
ALTER TABLE "public"."posts" RENAME COLUMN "writer_id" TO "author_id";
--> statement-breakpoint
ALTER SEQUENCE "public"."articles_id_seq" RENAME TO "posts_id_seq";
--> statement-breakpoint
ALTER TABLE "public"."posts" RENAME CONSTRAINT "articles_pkey" TO "posts_pkey";
--> statement-breakpoint
ALTER TABLE "public"."posts" RENAME CONSTRAINT "articles_writer_id_fkey" TO "posts_author_id_fkey";
