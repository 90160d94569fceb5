DROP VIEW "app"."recent";
--> statement-breakpoint
DROP TABLE "app"."log";
--> statement-breakpoint
DROP TYPE "app"."mood";
--> statement-breakpoint
DROP SEQUENCE "app"."counter";
--> statement-breakpoint
DROP SCHEMA "app";
