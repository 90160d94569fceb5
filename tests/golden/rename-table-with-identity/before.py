# ruff: noqa: F405
from schemakit import *  # noqa: F403

log = Table("log", bigint("id").identity().primary_key(), text("line"))
