# ruff: noqa: F405
from schemakit import *  # noqa: F403

articles = Table("articles", serial("id").primary_key(), text("title").unique(), schema="blog")
