-- schemakit:down-checksum sha256:ec971e444a4059b2eca50607c30715bbeb6c943877f2c187cd5ee1b6d2bcefb3
ALTER TABLE "public"."m" ALTER COLUMN "n" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "n" SET DATA TYPE integer;
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "n" SET DEFAULT 0;
