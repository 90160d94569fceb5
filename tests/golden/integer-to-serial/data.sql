INSERT INTO users (id, email) VALUES (1, 'a@x'), (7, 'b@x');
