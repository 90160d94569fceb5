CREATE SCHEMA IF NOT EXISTS "blog";
--> statement-breakpoint
CREATE TYPE "public"."mood" AS ENUM ('sad', 'ok', 'happy');
--> statement-breakpoint
CREATE TABLE "blog"."post_tags" (
	"post_id" uuid NOT NULL,
	"tag" text NOT NULL,
	CONSTRAINT "post_tags_pkey" PRIMARY KEY ("post_id", "tag")
);
--> statement-breakpoint
CREATE TABLE "public"."posts" (
	"id" uuid DEFAULT gen_random_uuid() NOT NULL,
	"author_id" integer NOT NULL,
	"title" text NOT NULL,
	"price" numeric(10,2),
	"meta" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"published" boolean DEFAULT false NOT NULL,
	CONSTRAINT "posts_pkey" PRIMARY KEY ("id"),
	CONSTRAINT "posts_price_check" CHECK (price >= 0),
	CONSTRAINT "posts_title_not_blank" CHECK (length(title) > 0)
);
--> statement-breakpoint
CREATE TABLE "public"."users" (
	"id" serial,
	"email" character varying(255) NOT NULL,
	"display_name" text,
	"mood" "public"."mood" DEFAULT 'ok' NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_pkey" PRIMARY KEY ("id"),
	CONSTRAINT "users_email_key" UNIQUE ("email")
);
--> statement-breakpoint
CREATE INDEX "posts_published_idx" ON "public"."posts" USING btree ("published") WHERE published;
--> statement-breakpoint
CREATE INDEX "users_display_name_idx" ON "public"."users" USING btree ("display_name");
--> statement-breakpoint
ALTER TABLE "blog"."post_tags" ADD CONSTRAINT "post_tags_post_id_fkey" FOREIGN KEY ("post_id") REFERENCES "public"."posts" ("id") ON DELETE CASCADE;
--> statement-breakpoint
ALTER TABLE "public"."posts" ADD CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "public"."users" ("id") ON DELETE CASCADE;
