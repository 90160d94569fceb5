# ruff: noqa: F405
from schemakit import *  # noqa: F403

t2 = Table("t2", integer("id").not_null().unique())
t1 = Table("t1", integer("id").references(t2.c.id))
