INSERT INTO events (line) VALUES ('b');
