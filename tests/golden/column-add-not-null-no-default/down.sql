-- schemakit:down-checksum sha256:628257ceb3f2ad1526d187ccd0eb7a65b4a2e43dfd45aae7d6a205d7d2811355
ALTER TABLE "public"."users" DROP COLUMN "age";
