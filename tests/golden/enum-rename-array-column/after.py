# ruff: noqa: F405
from schemakit import *  # noqa: F403

feeling = Enum("feeling", ["sad", "ok"], renamed_from="mood")
m = Table("m", serial("id").primary_key(), feeling("ms").array())
