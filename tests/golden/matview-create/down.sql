-- schemakit:down-checksum sha256:9f2e9d7db664de0458e3a46961235f560a45bed4b82d47ff03a85788d9a643ef
DROP MATERIALIZED VIEW "public"."mv";
