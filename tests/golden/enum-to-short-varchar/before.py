# ruff: noqa: F405
from schemakit import *  # noqa: F403

mood = Enum("mood", ["sad", "happy"])
m = Table("m", mood("m"))
