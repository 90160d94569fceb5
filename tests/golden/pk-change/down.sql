-- schemakit:down-checksum sha256:a5072b223fd4d95aebf17e578cf4531e324e03ae4b22df20e5ff09b1a2c804fe
ALTER TABLE "public"."users" DROP CONSTRAINT "users_pk2";
--> statement-breakpoint
ALTER TABLE "public"."users" ADD CONSTRAINT "users_pkey" PRIMARY KEY ("id");
