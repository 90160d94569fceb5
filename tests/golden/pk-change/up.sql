ALTER TABLE "public"."users" DROP CONSTRAINT "users_pkey";
--> statement-breakpoint
ALTER TABLE "public"."users" ADD CONSTRAINT "users_pk2" PRIMARY KEY ("id", "email");
