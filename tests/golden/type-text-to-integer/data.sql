INSERT INTO users (email, name) VALUES ('a@x', '42'), ('b@x', NULL);
