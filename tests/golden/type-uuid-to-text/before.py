# ruff: noqa: F405
from schemakit import *  # noqa: F403

m = Table("m", uuid("u"), integer("n"))
