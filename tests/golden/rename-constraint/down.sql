-- schemakit:down-checksum sha256:350ba0a21f9755eb9cd698813caef920434c22fc8f803164acb03cab9c8a8ffd
ALTER TABLE "public"."users" RENAME CONSTRAINT "name_len" TO "name_short";
