# ruff: noqa: F405
from schemakit import *  # noqa: F403

mood = Enum("mood", ["sad", "ok"])
m = Table("m", serial("id").primary_key(), mood("ms").array())
