-- golden: file 1 of 2
-- schemakit:no-transaction
-- schemakit:down-checksum sha256:d00d6d46a3f7b0e0c4059b82343d8f16a4d89091e37c9fe58dd3c90438ce3243
DROP INDEX CONCURRENTLY "public"."users_age_conc";
-- golden: file 2 of 2
-- schemakit:down-checksum sha256:628257ceb3f2ad1526d187ccd0eb7a65b4a2e43dfd45aae7d6a205d7d2811355
ALTER TABLE "public"."users" DROP COLUMN "age";
