-- schemakit:down-checksum sha256:4a545121743ddb3c7463fd5ad6f1a82aafaf731174153b8ee1ce958dc58c5c10
ALTER TYPE "public"."mood" ADD VALUE 'happy';
