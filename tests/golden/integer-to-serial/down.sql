-- schemakit:down-checksum sha256:519f752dd56beb455d056e81db8b46e464819fc5208af6551e08f522d06e8c3f
ALTER TABLE "public"."users" ALTER COLUMN "id" DROP DEFAULT;
--> statement-breakpoint
DROP SEQUENCE "public"."users_id_seq";
