-- schemakit:down-checksum sha256:abbeece9a603449cadc61e13d7e68fdb950de07f6b524ee28e5f10dbd0b4100a
ALTER TABLE "public"."users" DROP CONSTRAINT "c";
--> statement-breakpoint
ALTER TABLE "public"."users" ADD CONSTRAINT "c" CHECK (length(name) < 80);
