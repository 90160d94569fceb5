-- schemakit:down-checksum sha256:569ffea865bee79f94551a956684cf14011452c6122a7574a1231150fc328416
ALTER TABLE "public"."users" RENAME COLUMN "full_name" TO "name";
