# ruff: noqa: F405
from schemakit import *  # noqa: F403

c = Table("c", integer("cc").unique())
