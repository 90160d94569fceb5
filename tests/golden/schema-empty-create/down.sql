-- schemakit:down-checksum sha256:ea81952e7c19954ee921b2f8246d4cef1934515c4767c1153ab9aeb35a211dfd
DROP SCHEMA "reporting";
