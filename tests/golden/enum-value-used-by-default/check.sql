INSERT INTO users (email) VALUES ('b@x'); DO $$ BEGIN IF (SELECT m FROM users WHERE email = 'b@x') <> 'happy' THEN RAISE 'default not used'; END IF; END $$; DELETE FROM users WHERE email = 'b@x';
