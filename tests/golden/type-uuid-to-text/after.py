# ruff: noqa: F405
from schemakit import *  # noqa: F403

m = Table("m", text("u"), text("n"))
