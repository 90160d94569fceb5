INSERT INTO users (email, m, ms) VALUES ('a@x', 'sad', '{sad,ok}'), ('b@x', 'ok', NULL);
