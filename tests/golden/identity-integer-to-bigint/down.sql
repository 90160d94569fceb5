-- schemakit:down-checksum sha256:91e7aecfc16d71a27225e71a964fa46976cb3e150b73bc7fc1e9323d4c1411e4
ALTER TABLE "public"."m" ALTER COLUMN "n" SET DATA TYPE integer;
