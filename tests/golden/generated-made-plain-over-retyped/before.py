# ruff: noqa: F405
from schemakit import *  # noqa: F403

users = Table("users", serial("id").primary_key(), text("a_copy").generated(sql("email || '!'")), varchar("email", 100).not_null())
