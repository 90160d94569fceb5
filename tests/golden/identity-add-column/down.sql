-- schemakit:down-checksum sha256:accaca3733f209d5f47776b8e0c0459ca4b56ec7a3990113f5d0f1ac53d02748
ALTER TABLE "public"."users" DROP COLUMN "n";
