-- golden: file 1 of 2
-- schemakit:no-transaction
ALTER TYPE "public"."mood" ADD VALUE 'happy';
-- golden: file 2 of 2
CREATE TABLE "public"."posts" (
	"id" serial,
	"m" "public"."mood" DEFAULT 'happy',
	CONSTRAINT "posts_pkey" PRIMARY KEY ("id")
);
