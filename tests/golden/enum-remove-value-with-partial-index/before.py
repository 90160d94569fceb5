# ruff: noqa: F405
from schemakit import *  # noqa: F403

mood = Enum("mood", ["sad", "ok", "happy"])
users = Table("users", serial("id").primary_key(), varchar("email", 100).not_null(), text("name"), mood("m"), Index("users_ok", "email", where=sql("m = 'ok'")))
