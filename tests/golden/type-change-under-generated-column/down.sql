-- schemakit:down-checksum sha256:6dae4c246a8640e507bd316de1989bcc19899a3f4d2a4434c54ade9c74c0f69c
ALTER TABLE "public"."users" DROP COLUMN "lower_email";
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "email" SET DATA TYPE character varying(100);
--> statement-breakpoint
ALTER TABLE "public"."users" ADD COLUMN "lower_email" text GENERATED ALWAYS AS (lower(email)) STORED;
