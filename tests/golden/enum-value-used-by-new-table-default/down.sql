-- golden: file 1 of 2
-- schemakit:down-checksum sha256:fb4290fb48469bef18b8f693cf84254fcfe507a2bc698f569b22a103e44d55f9
DROP TABLE "public"."posts";
-- golden: file 2 of 2
-- schemakit:down-checksum sha256:cd14c55b30f61ae8945d90174c7e863e787ffbd02d05742b7583740079f9bca9
ALTER TYPE "public"."mood" RENAME TO "mood__old";
--> statement-breakpoint
CREATE TYPE "public"."mood" AS ENUM ('sad', 'ok');
--> statement-breakpoint
DROP TYPE "public"."mood__old";
