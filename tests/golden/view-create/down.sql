-- schemakit:down-checksum sha256:2648ec5e1fa36eef13bebf5739493b33fc98a86d3b269caca0b761a68f91e6e7
DROP VIEW "public"."user_emails";
