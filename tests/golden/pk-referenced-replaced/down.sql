-- schemakit:down-checksum sha256:f5ba12d1fcb39b54f8fa87838da5da59c8c5bda95825b3ef08d30a98a8eda577
ALTER TABLE "public"."posts" DROP CONSTRAINT "posts_author_id_fkey";
--> statement-breakpoint
ALTER TABLE "public"."users" DROP CONSTRAINT "users_pk_renamed";
--> statement-breakpoint
ALTER TABLE "public"."users" ADD CONSTRAINT "users_pkey" PRIMARY KEY ("id");
--> statement-breakpoint
ALTER TABLE "public"."posts" ADD CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "public"."users" ("id");
