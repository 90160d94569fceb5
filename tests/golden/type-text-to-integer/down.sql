-- schemakit:down-checksum sha256:3e835f9086ffdbcfa8084d99aa97cb7ca251a317efa4790b9f4dce70ea27a799
ALTER TABLE "public"."users" ALTER COLUMN "name" SET DATA TYPE text USING "name"::text;
