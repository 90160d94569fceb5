-- schemakit:down-checksum sha256:1f28572bf7486c97ea3801dde65eb77324ef3446b56dde16ef0eba2fdb101718
ALTER TABLE "public"."users" DROP COLUMN "active";
