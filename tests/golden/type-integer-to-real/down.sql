-- schemakit:down-checksum sha256:fd5dbd5fd8d982ccc3873efd81b4abd98be499a9982875ea01a801345d0b373d
ALTER TABLE "public"."m" ALTER COLUMN "n" SET DATA TYPE integer USING "n"::integer;
