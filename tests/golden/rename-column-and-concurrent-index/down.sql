-- golden: file 1 of 2
-- schemakit:no-transaction
-- schemakit:down-checksum sha256:b5f806d3271c431500ef1a87d491a0632ab6a38aebe975870e85167475423d42
DROP INDEX CONCURRENTLY "public"."users_full_name_conc";
-- golden: file 2 of 2
-- schemakit:down-checksum sha256:569ffea865bee79f94551a956684cf14011452c6122a7574a1231150fc328416
ALTER TABLE "public"."users" RENAME COLUMN "full_name" TO "name";
