-- schemakit:down-checksum sha256:28e09bf6211ce4f72be502dece340f3d103a082dd19cc788c61c38cd93465b48
CREATE TABLE "public"."posts" (
	"id" serial,
	"author_id" integer,
	CONSTRAINT "posts_pkey" PRIMARY KEY ("id")
);
--> statement-breakpoint
ALTER TABLE "public"."posts" ADD CONSTRAINT "posts_author_id_fkey" FOREIGN KEY ("author_id") REFERENCES "public"."users" ("id");
