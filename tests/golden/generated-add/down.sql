-- schemakit:down-checksum sha256:010d6c9218e4c7b8260ac079b3634a522b2afcc05f21970c92e0cde03c4f70d2
ALTER TABLE "public"."users" DROP COLUMN "lower_email";
