DROP TABLE "public"."users";
--> statement-breakpoint
CREATE TABLE "public"."other" (
	"id" integer
);
