-- schemakit:down-checksum sha256:4faf8d3363fce1b24f55623fef92350f03babc6a43b1e8bd6b9e9a80d3d21541
ALTER TABLE "public"."m" ALTER COLUMN "at" SET DATA TYPE timestamp without time zone;
