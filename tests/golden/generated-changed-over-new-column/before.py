# ruff: noqa: F405
from schemakit import *  # noqa: F403

users = Table("users", serial("id").primary_key(), text("both").generated(sql("lower(email)")), text("email"))
