-- schemakit:down-checksum sha256:bc7e017dc7bda6fc2d9bee8ed1d8c01884746e077d1c2e0b25c58ae65ce7eba3
ALTER TABLE "public"."users" DROP COLUMN "m";
--> statement-breakpoint
DROP TYPE "public"."mood";
