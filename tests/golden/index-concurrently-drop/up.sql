DROP INDEX "public"."users_name_conc";
