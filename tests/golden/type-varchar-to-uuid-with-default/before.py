# ruff: noqa: F405
from schemakit import *  # noqa: F403

m = Table("m", varchar("token", 36).default("00000000-0000-0000-0000-000000000000"))
