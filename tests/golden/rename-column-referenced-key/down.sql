-- schemakit:down-checksum sha256:de4de30000356c0d309d6c5fa61dd6182565bcdc9fb7806c0fe8f6acf926c081
ALTER TABLE "public"."users" RENAME COLUMN "user_id" TO "id";
--> statement-breakpoint
ALTER SEQUENCE "public"."users_user_id_seq" RENAME TO "users_id_seq";
