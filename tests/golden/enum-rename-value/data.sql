INSERT INTO users (email) VALUES ('a@x'); INSERT INTO users (email, m) VALUES ('b@x', 'ok');
