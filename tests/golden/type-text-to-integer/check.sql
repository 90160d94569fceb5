DO $$ BEGIN IF (SELECT name FROM users WHERE email = 'a@x') <> 42 THEN RAISE 'value changed'; END IF; END $$;
