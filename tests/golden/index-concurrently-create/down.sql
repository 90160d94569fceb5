-- schemakit:no-transaction
-- schemakit:down-checksum sha256:cf844d1a77d1dd44e19c9786e78c8b2a0ac896bf27bf673e3e492fe5b8e20711
DROP INDEX CONCURRENTLY "public"."users_name_conc";
