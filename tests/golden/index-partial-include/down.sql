-- schemakit:down-checksum sha256:75f7e8ce30e972a49597b1476298be8fd372f6b005a9dcbc99e54046583bf74a
DROP INDEX "public"."users_part";
