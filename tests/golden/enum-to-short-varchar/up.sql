ALTER TABLE "public"."m" ALTER COLUMN "m" SET DATA TYPE character varying(3) USING "m"::text::character varying(3);
--> statement-breakpoint
DROP TYPE "public"."mood";
