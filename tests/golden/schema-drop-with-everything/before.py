# ruff: noqa: F405
from schemakit import *  # noqa: F403

users = Table("users", serial("id").primary_key(), varchar("email", 100).not_null(), text("name"))
mood = Enum("mood", ["sad", "ok"], schema="app")
counter = Sequence("counter", schema="app")
log = Table("log", serial("id").primary_key(), mood("m").default("ok"), schema="app")
v = View("recent", sql("SELECT id, m FROM app.log"), schema="app")
