-- schemakit:down-checksum sha256:99f734e5d16412ff3d0f93e9980f6883ecb089cd816270e9ef28df34b5833650
ALTER TABLE "public"."m" ALTER COLUMN "u" SET DATA TYPE uuid USING "u"::uuid;
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "n" SET DATA TYPE integer USING "n"::integer;
