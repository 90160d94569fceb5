# ruff: noqa: F405
from schemakit import *  # noqa: F403

users = Table("users", bigserial("id").primary_key(), varchar("email", 100).not_null(), text("name"))
posts = Table("posts", serial("id").primary_key(), bigint("author_id").references(users.c.id))
