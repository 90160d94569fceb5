DO $$ BEGIN INSERT INTO users (email) VALUES ('c@x'); RAISE 'a null name was accepted'; EXCEPTION WHEN not_null_violation THEN NULL; END $$;
