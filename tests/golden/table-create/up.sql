CREATE TABLE "public"."posts" (
	"id" serial,
	"author_id" integer,
	CONSTRAINT "posts_pkey" PRIMARY KEY ("id")
);
--> statement-breakpoint
ALTER TABLE "public"."posts" ADD CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "public"."users" ("id");
