-- schemakit:down-checksum sha256:6b70dda2cc2cf6f7045eef7defc9d554b4f782d65841066b9c558feadeb019de
CREATE TYPE "public"."mood" AS ENUM ('sad', 'ok');
--> statement-breakpoint
ALTER TABLE "public"."users" ADD COLUMN "m" "public"."mood";
