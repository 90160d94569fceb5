-- schemakit:down-checksum sha256:d87eebc04342e618441c4540a3cef56be0085ac44a7338c0c074bbf77ffc0976
DROP SEQUENCE "public"."counter";
