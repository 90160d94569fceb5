-- golden: file 1 of 2
-- schemakit:down-checksum sha256:c4c81c2cc936da61529554cd3d906f7d3f80f05058410f924105d6ef83e90f77
ALTER TABLE "public"."c" ALTER COLUMN "cc" DROP NOT NULL;
--> statement-breakpoint
ALTER TABLE "public"."c" ADD CONSTRAINT "c_cc_nn_check" CHECK ("cc" IS NOT NULL);
-- golden: file 2 of 2
-- schemakit:down-checksum sha256:f1ac818670481f424d6ec530e767d7ce394cbc90a91a0f975937190219c9a785
ALTER TABLE "public"."c" DROP CONSTRAINT "c_pkey";
--> statement-breakpoint
ALTER TABLE "public"."c" DROP CONSTRAINT "c_cc_nn_check";
