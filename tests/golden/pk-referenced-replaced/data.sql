INSERT INTO users (email) VALUES ('a@x'); INSERT INTO posts (author_id) VALUES (1);
