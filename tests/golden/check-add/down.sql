-- schemakit:down-checksum sha256:ad0b8d19e63df1b35214fd93403e0679d205382afdf6079ccb3be26e541ec5d8
ALTER TABLE "public"."users" DROP CONSTRAINT "name_len";
