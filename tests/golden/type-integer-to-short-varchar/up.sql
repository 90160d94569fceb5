ALTER TABLE "public"."m" ALTER COLUMN "n" SET DATA TYPE character varying(3) USING "n"::character varying(3);
