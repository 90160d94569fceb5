-- schemakit:down-checksum sha256:5e7956026910aa2fe99226671a38869dc81d7ecfca5c694d518515447dd2b2fa
ALTER TYPE "public"."mood" RENAME VALUE 'blue' TO 'sad';
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" DROP DEFAULT;
--> statement-breakpoint
ALTER TABLE "public"."users" ALTER COLUMN "m" SET DEFAULT 'sad';
