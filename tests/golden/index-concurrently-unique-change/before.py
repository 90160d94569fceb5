# ruff: noqa: F405
from schemakit import *  # noqa: F403

users = Table("users", serial("id").primary_key(), varchar("email", 100).not_null(), text("name"), Index("users_email", "email", unique=True, concurrently=True))
