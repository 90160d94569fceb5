-- schemakit:down-checksum sha256:edecf1940d7f76d50c9c21270e3084c2e9c2ea579842139fe858a6ee17ce9a4a
ALTER TABLE "public"."posts" ALTER COLUMN "author_id" SET DATA TYPE integer;
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "id" SET DATA TYPE integer;
--> statement-breakpoint
ALTER SEQUENCE "public"."users_id_seq" AS integer;
