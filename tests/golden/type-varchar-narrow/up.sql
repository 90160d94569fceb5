ALTER TABLE "public"."users" ALTER COLUMN "email" SET DATA TYPE character varying(50);
