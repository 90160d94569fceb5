ALTER INDEX "public"."users_name_idx" RENAME TO "users_name_ix";
