# ruff: noqa: F405
from schemakit import *  # noqa: F403

events = Table("events", bigint("id").identity().primary_key(), text("line"), renamed_from="log")
