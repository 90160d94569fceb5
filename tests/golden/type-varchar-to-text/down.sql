-- schemakit:down-checksum sha256:ec21ca915e83a9b6a39a270d873c7dc05a84083006080e9fddfc527df1578856
ALTER TABLE "public"."users" ALTER COLUMN "email" SET DATA TYPE character varying(100);
