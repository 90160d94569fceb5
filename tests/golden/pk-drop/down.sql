-- schemakit:down-checksum sha256:c4c7c7cd8f3a73a93122d1f7073c8bbaee2fc2d5b4d08e50351205a435d25d4b
ALTER TABLE "public"."users" ADD CONSTRAINT "users_pkey" PRIMARY KEY ("id");
