DO $$ BEGIN IF (SELECT count(*) FROM users WHERE m = 'sad' AND ms = '{sad,ok}') <> 1 THEN RAISE 'rows changed'; END IF; END $$;
