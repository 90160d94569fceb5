-- schemakit:down-checksum sha256:4755d2b1e3da06b89c806caea6f42a8eb946b0d13cc7fa68f5b986f1d82e7105
ALTER INDEX "public"."users_name_ix" RENAME TO "users_name_idx";
