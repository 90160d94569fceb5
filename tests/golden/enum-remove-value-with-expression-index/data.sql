INSERT INTO users (m) VALUES ('sad'), ('ok');
