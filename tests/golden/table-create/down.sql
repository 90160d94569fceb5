-- schemakit:down-checksum sha256:ab90754e3c45cf1167aae49c1b105192252038930296301f03275cf60ed3d5de
ALTER TABLE "public"."posts" DROP CONSTRAINT "posts_author_id_fkey";
--> statement-breakpoint
DROP TABLE "public"."posts";
