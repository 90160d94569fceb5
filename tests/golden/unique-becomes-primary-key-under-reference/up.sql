ALTER TABLE "public"."t1" DROP CONSTRAINT "t1_id_fkey";
--> statement-breakpoint
ALTER TABLE "public"."t2" DROP CONSTRAINT "t2_id_key";
--> statement-breakpoint
ALTER TABLE "public"."t2" ADD CONSTRAINT "t2_pkey" PRIMARY KEY ("id");
--> statement-breakpoint
ALTER TABLE "public"."t1" ADD CONSTRAINT "t1_id_fkey" FOREIGN KEY ("id") REFERENCES "public"."t2" ("id");
