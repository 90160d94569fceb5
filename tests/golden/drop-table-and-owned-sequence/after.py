# ruff: noqa: F405
from schemakit import *  # noqa: F403

other = Table("other", integer("id"))
