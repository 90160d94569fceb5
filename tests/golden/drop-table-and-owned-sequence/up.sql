DROP TABLE "public"."users";
--> statement-breakpoint
CREATE TABLE "public"."other" (
	"id" integer
);
--> statement-breakpoint
DROP SEQUENCE "public"."counter";
