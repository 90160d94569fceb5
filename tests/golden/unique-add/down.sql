-- schemakit:down-checksum sha256:b36d053dc6ee4a2f06196709c9aac794c00fc2ecf13f2fd6db9e12cbb42a7eaf
ALTER TABLE "public"."users" DROP CONSTRAINT "users_email_key";
