-- schemakit:down-checksum sha256:13704a71ce048679d8ea2dd895a9fa09cc88881aedf2d06a91d482416bdf97b0
ALTER TABLE "public"."m" ALTER COLUMN "price" SET DATA TYPE numeric(10,2);
