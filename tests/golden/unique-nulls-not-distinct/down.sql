-- schemakit:down-checksum sha256:762006656bf717feaab888ff968af412fb056d919e4c66ac155e49584630efea
ALTER TABLE "public"."users" DROP CONSTRAINT "users_email_name_key";
