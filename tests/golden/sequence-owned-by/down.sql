-- schemakit:down-checksum sha256:57c2d311d98250c7234befccda9850a381f31742b9eb706a4faadc599ce730bb
ALTER SEQUENCE "public"."counter" OWNED BY NONE;
