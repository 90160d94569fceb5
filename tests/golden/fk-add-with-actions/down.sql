-- schemakit:down-checksum sha256:532b0e4da2bcd00d13ae5e0b2e83fc1fe0fa5e0553c238abbbec8bd3e7bbbf57
ALTER TABLE "public"."posts" DROP CONSTRAINT "posts_author_id_fkey";
