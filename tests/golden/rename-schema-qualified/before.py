# ruff: noqa: F405
from schemakit import *  # noqa: F403

posts = Table("posts", serial("id").primary_key(), text("title").unique(), schema="blog")
