-- schemakit:down-checksum sha256:2725d9eb64a73cd538254c28f03623f8fdc297fb861b20bd3c694a2636893659
ALTER TABLE "public"."m" ALTER COLUMN "price" SET DATA TYPE numeric(12,4);
