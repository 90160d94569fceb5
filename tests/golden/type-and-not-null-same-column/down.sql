-- schemakit:down-checksum sha256:9b6666ce81b2447b895c1fd4c3388da07ed0af61c549ae83466198e757801548
ALTER TABLE "public"."m" ALTER COLUMN "n" SET DATA TYPE text USING "n"::text;
--> statement-breakpoint
ALTER TABLE "public"."m" ALTER COLUMN "n" DROP NOT NULL;
