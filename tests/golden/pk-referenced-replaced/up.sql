ALTER TABLE "public"."posts" DROP CONSTRAINT "posts_author_id_fkey";
--> statement-breakpoint
ALTER TABLE "public"."users" DROP CONSTRAINT "users_pkey";
--> statement-breakpoint
ALTER TABLE "public"."users" ADD CONSTRAINT "users_pk_renamed" PRIMARY KEY ("id");
--> statement-breakpoint
ALTER TABLE "public"."posts" ADD CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "public"."users" ("id");
