-- schemakit:down-checksum sha256:62e71460b2db4e984abf30dc12502f4826bef50eb8d02718aaf4e85fcdd9055d
ALTER TABLE "public"."users" ADD COLUMN "name" text;
