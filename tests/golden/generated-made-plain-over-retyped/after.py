# ruff: noqa: F405
from schemakit import *  # noqa: F403

users = Table("users", serial("id").primary_key(), text("a_copy"), text("email").not_null())
