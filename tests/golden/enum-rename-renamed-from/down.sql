-- schemakit:down-checksum sha256:c87faf6a9aa11fd9c3bbc2173f0be7ec326c4680f4dbf7abe517a3455d988028
ALTER TYPE "public"."feeling" RENAME TO "mood";
