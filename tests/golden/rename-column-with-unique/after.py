# ruff: noqa: F405
from schemakit import *  # noqa: F403

users = Table("users", serial("id").primary_key(), varchar("mail", 100).not_null().unique().renamed_from("email"), text("name"))
