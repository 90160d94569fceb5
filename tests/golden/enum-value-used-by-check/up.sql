-- golden: file 1 of 2
-- schemakit:no-transaction
ALTER TYPE "public"."mood" ADD VALUE 'happy';
-- golden: file 2 of 2
ALTER TABLE "public"."users" ADD CONSTRAINT "users_m_check" CHECK (m <> 'happy');
