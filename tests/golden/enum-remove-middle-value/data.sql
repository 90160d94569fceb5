INSERT INTO users (email, m) VALUES ('a@x', 'sad'), ('b@x', 'happy');
