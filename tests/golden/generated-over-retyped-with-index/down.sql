-- schemakit:down-checksum sha256:4d70a2dd72f7d2566151c1c408a69a31d8c746b8244ea7b686b7e42aef503d8a
ALTER TABLE "public"."users" DROP CONSTRAINT "users_lower_email_check";
--> statement-breakpoint
DROP INDEX "public"."users_lower_email";
--> statement-breakpoint
ALTER TABLE "public"."users" DROP COLUMN "lower_email";
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "email" SET DATA TYPE character varying(100);
--> statement-breakpoint
ALTER TABLE "public"."users" ADD COLUMN "lower_email" text GENERATED ALWAYS AS (lower(email)) STORED;
--> statement-breakpoint
ALTER TABLE "public"."users" ADD CONSTRAINT "users_lower_email_check" CHECK (lower_email <> '');
--> statement-breakpoint
CREATE UNIQUE INDEX "users_lower_email" ON "public"."users" USING btree ("lower_email");
--> statement-breakpoint
COMMENT ON COLUMN "public"."users"."lower_email" IS 'derived';
