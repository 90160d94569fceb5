-- schemakit:no-transaction
ALTER TYPE "public"."mood" ADD VALUE 'happy';
