-- schemakit:no-transaction
-- schemakit:down-checksum sha256:40422c222d866d9bfb61693b16d2b13e3c09e809d6d80aff2c03c95871d26921
ALTER TYPE "public"."mood" ADD VALUE 'happy';
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" SET DEFAULT 'happy';
