-- schemakit:down-checksum sha256:3167f7e0ca34ae7ba282969fc46a5ab449578057aa9076de58f55532e19cb41e
ALTER TABLE "public"."t1" DROP CONSTRAINT "t1_id_fkey";
--> statement-breakpoint
ALTER TABLE "public"."t2" DROP CONSTRAINT "t2_pkey";
--> statement-breakpoint
ALTER TABLE "public"."t2" ADD CONSTRAINT "t2_id_key" UNIQUE ("id");
--> statement-breakpoint
ALTER TABLE "public"."t1" ADD CONSTRAINT "t1_id_fkey" FOREIGN KEY ("id") REFERENCES "public"."t2" ("id");
