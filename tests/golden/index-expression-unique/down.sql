-- schemakit:down-checksum sha256:6c85c6145eaa36019d9f99dd18d496d450f59330990fe7e1ddf7d2a03db0aaa8
DROP INDEX "public"."users_lower_email";
