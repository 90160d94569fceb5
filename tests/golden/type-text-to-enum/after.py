# ruff: noqa: F405
from schemakit import *  # noqa: F403

mood = Enum("mood", ["a", "b"])
m = Table("m", mood("m").default("a"))
