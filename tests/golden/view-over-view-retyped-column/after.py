# ruff: noqa: F405
from schemakit import *  # noqa: F403

users = Table("users", serial("id").primary_key(), text("email").not_null(), text("name"))
v = View("v", sql("SELECT id, email FROM users"))
w = View("w", sql("SELECT id, email FROM v"))
