-- schemakit:down-checksum sha256:a33facc257664bf6472864f23e49b35f2d9a3f6c1cbf56107634b7a6e92254ec
DROP VIEW "public"."published_posts";
--> statement-breakpoint
DROP INDEX "public"."posts_meta_idx";
--> statement-breakpoint
ALTER TABLE "public"."posts" DROP COLUMN "tags";
