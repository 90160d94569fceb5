-- schemakit:down-checksum sha256:5f5a16d15f77211bdb1ee10f35903c33367031d1f357c5c461914bfd1094d900
CREATE TABLE "public"."posts" (
	"id" serial,
	"author_id" integer,
	CONSTRAINT "posts_pkey" PRIMARY KEY ("id")
);
--> statement-breakpoint
ALTER TABLE "public"."posts" ADD CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "public"."users" ("id");
--> statement-breakpoint
CREATE VIEW "public"."v" AS SELECT p.id, u.email FROM posts p JOIN users u ON u.id = p.author_id;
