-- schemakit:down-checksum sha256:da5ede62c367da198daa5a91757d7e7deaf64562f3630018ebb4f0e532c01042
ALTER TYPE "app"."feeling" RENAME TO "mood";
