-- schemakit:down-checksum sha256:8fed256704ce22de261a406954433b80bf01d8bead1a72e6713b112a428becdb
ALTER TABLE "public"."users" ALTER COLUMN "name" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "name" SET DEFAULT 'a';
