-- schemakit:down-checksum sha256:d2cb1a7880e4a1a55df0b8919b66343b6ff7541d76a59325042308a1d385275f
ALTER TABLE "public"."users" DROP COLUMN "lower_email";
--> statement-breakpoint
ALTER TABLE "public"."users" ADD COLUMN "lower_email" text GENERATED ALWAYS AS (lower(email)) STORED;
