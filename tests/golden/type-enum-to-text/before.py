# ruff: noqa: F405
from schemakit import *  # noqa: F403

mood = Enum("mood", ["a", "b"], schema="app")
m = Table("m", mood("m"))
