DO $$ BEGIN IF (SELECT lower_email FROM users) <> 'a@x' THEN RAISE 'value lost'; END IF; END $$;
