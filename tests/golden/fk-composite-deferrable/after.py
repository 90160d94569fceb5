# ruff: noqa: F405
from schemakit import *  # noqa: F403

users = Table("users", serial("id").primary_key(), varchar("email", 100).not_null(), text("name"), Unique("id", "email"))
posts = Table("posts", integer("a"), varchar("b", 100), ForeignKey(["a", "b"], users, ["id", "email"], deferrable=True, initially_deferred=True))
