INSERT INTO users (email) VALUES ('b@x'); INSERT INTO posts (author_id) VALUES (2);
