-- schemakit:down-checksum sha256:49b4eaade4b44659e944b08c10bb7e02315beaaf14b4eaad22fbde9180723217
ALTER TABLE "public"."posts" DROP CONSTRAINT "posts_a_b_fkey";
