# ruff: noqa: F405
from schemakit import *  # noqa: F403

m = Table("m", integer("n").identity(always=True, increment=-1))
