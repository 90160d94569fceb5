# ruff: noqa: F405
from schemakit import *  # noqa: F403

mood = Enum("mood", ["sad", "ok", "happy"])
size = Enum("size", ["s", "m", "l"])
users = Table("users", serial("id").primary_key(), varchar("email", 100).not_null(), text("name"), mood("m").default("happy"), size("sz"))
