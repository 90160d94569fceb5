DO $$ BEGIN IF (SELECT count(*) FROM users WHERE m = 'blue') <> 1 THEN RAISE 'rows lost their value'; END IF; END $$;
