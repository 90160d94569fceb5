-- golden: file 1 of 2
ALTER TABLE "public"."c" ADD CONSTRAINT "c_cc_nn_check" CHECK ("cc" IS NOT NULL) NOT VALID;
--> statement-breakpoint
ALTER TABLE "public"."c" ADD CONSTRAINT "c_pkey" PRIMARY KEY ("cc");
-- golden: file 2 of 2
-- schemakit:no-transaction
ALTER TABLE "public"."c" VALIDATE CONSTRAINT "c_cc_nn_check";
--> statement-breakpoint
ALTER TABLE "public"."c" ALTER COLUMN "cc" SET NOT NULL;
--> statement-breakpoint
ALTER TABLE "public"."c" DROP CONSTRAINT "c_cc_nn_check";
