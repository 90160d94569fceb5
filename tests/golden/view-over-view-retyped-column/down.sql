-- schemakit:down-checksum sha256:682681cad38a8ae13e7a8bdbc004fdc2a9dd42cbc6147ec73d6887adf6f84e0b
DROP VIEW "public"."w";
--> statement-breakpoint
DROP VIEW "public"."v";
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "email" SET DATA TYPE character varying(100);
--> statement-breakpoint
CREATE VIEW "public"."v" AS SELECT id, email FROM users;
--> statement-breakpoint
CREATE VIEW "public"."w" AS SELECT id, email FROM v;
