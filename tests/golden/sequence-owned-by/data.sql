SELECT nextval('counter');
