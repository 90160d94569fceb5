-- schemakit:down-checksum sha256:6ae6ffce4aa3102a14aa9373a47906d9813405c5d1b84b68bf25c1642b32523e
ALTER TABLE "public"."m" ALTER COLUMN "price" SET DATA TYPE numeric(12,4) USING "price"::numeric(12,4);
