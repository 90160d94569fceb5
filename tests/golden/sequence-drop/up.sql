DROP SEQUENCE "public"."counter";
