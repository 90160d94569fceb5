-- schemakit:down-checksum sha256:c204614c6959082a02447954fc47b2962e395f94f05477a2da9d5fea67fc3891
ALTER TABLE "public"."users" DROP COLUMN "a_copy";
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "email" SET DATA TYPE character varying(100);
--> statement-breakpoint
ALTER TABLE "public"."users" ADD COLUMN "a_copy" text GENERATED ALWAYS AS (email || '!') STORED;
