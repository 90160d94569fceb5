-- schemakit:down-checksum sha256:2e1f22d894f48695c54f2e37386f2ddce380a84dfa2b666b868ffc22f9bfb8fa
ALTER TABLE "public"."c" DROP CONSTRAINT "c_pkey";
--> statement-breakpoint
ALTER TABLE "public"."c" ALTER COLUMN "cc" DROP NOT NULL;
