CREATE VIEW "public"."user_emails" AS SELECT id, email FROM users;
