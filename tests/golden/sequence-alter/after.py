# ruff: noqa: F405
from schemakit import *  # noqa: F403

users = Table("users", serial("id").primary_key(), varchar("email", 100).not_null(), text("name"))
counter = Sequence("counter", start=100, increment=5, max_value=10000, cycle=True)
