-- schemakit:down-checksum sha256:c1976840b0e214f064ce480f9851d4b7c3aedd466da83026a1ea5fc7a922b2ce
ALTER TABLE "public"."users" ALTER COLUMN "email" SET NOT NULL;
