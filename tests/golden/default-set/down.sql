-- schemakit:down-checksum sha256:65ed815ae3256543365ae866047b14a074fb3e7ce3085fd6567d1e7c37cc0983
ALTER TABLE "public"."users" ALTER COLUMN "name" DROP DEFAULT;
