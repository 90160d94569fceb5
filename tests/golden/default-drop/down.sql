-- schemakit:down-checksum sha256:efefe2053547f2ca05f3633072796e18ed366ebdbb0b6fd4ac2168e408a68116
ALTER TABLE "public"."users" ALTER COLUMN "name" SET DEFAULT 'anon';
