-- schemakit:down-checksum sha256:a5e2987aad02cabf318fc3181934da1c7dfd4423e3253fef6a91f7fb1f173e02
ALTER TABLE "public"."m" ALTER COLUMN "n" SET DATA TYPE bigint;
