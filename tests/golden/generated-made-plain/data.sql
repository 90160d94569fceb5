INSERT INTO users (email) VALUES ('A@X');
