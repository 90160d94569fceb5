INSERT INTO users (email) VALUES ('c@x');
