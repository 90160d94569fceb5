ALTER TABLE "public"."posts" ADD COLUMN "tags" text[];
--> statement-breakpoint
CREATE INDEX "posts_meta_idx" ON "public"."posts" USING gin ("meta");
--> statement-breakpoint
CREATE VIEW "public"."published_posts" AS SELECT id, title FROM posts WHERE published;
