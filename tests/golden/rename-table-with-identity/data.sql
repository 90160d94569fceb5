INSERT INTO log (line) VALUES ('a');
