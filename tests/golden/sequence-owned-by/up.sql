ALTER SEQUENCE "public"."counter" OWNED BY "public"."users"."name";
