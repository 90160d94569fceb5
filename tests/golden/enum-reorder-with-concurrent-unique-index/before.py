# ruff: noqa: F405
from schemakit import *  # noqa: F403

mood = Enum("mood", ["sad", "ok", "happy"])
users = Table("users", serial("id").primary_key(), mood("m"), Index("users_one_sad", "m", unique=True, where=sql("m = 'sad'"), concurrently=True))
