-- schemakit:down-checksum sha256:66149fdaf4f0c508f3d95c0bcda74f916c2177a26c3a0d63511854fb3873fdf0
DROP TABLE "audit"."log";
--> statement-breakpoint
DROP SCHEMA "audit";
