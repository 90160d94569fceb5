-- schemakit:down-checksum sha256:708e34fc4f4cf6fffb6bfdf36aa94baac3fddbf992c8feb39acfac0af2dfc1fe
ALTER TABLE "public"."users" RENAME COLUMN "mail" TO "email";
--> statement-breakpoint
ALTER TABLE "public"."users" RENAME CONSTRAINT "users_mail_key" TO "users_email_key";
