"""db_studio: browse, query and (when allowed) edit the database in the browser, inside Django."""
