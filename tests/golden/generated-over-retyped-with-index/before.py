# ruff: noqa: F405
from schemakit import *  # noqa: F403

users = Table("users", serial("id").primary_key(), varchar("email", 100).not_null(), text("lower_email").generated(sql("lower(email)")).comment("derived"), Index("users_lower_email", "lower_email", unique=True), Check("users_lower_email_check", sql("lower_email <> ''")))
