# ruff: noqa: F405
from schemakit import *  # noqa: F403

feeling = Enum("feeling", ["sad", "ok", "happy"], renamed_from="mood")
users = Table("users", serial("id").primary_key(), varchar("email", 100).not_null(), text("name"), feeling("m").default("happy"))
