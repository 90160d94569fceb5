"""Extensions as schema objects: created before the tables using their types, pulled, diffed, dropped."""

from __future__ import annotations

import psycopg

from schemakit.api import generate, migrate, status
from schemakit.api.pull import pull
from schemakit.api.push import apply_push, plan_push
from schemakit.diff.renames import Resolver

from .helpers import project_for, write_schema

BASE = """
trgm = Extension("pg_trgm", schema="extensions")
users = Table("users", serial("id").primary_key(), text("name"),
              Index("users_name_trgm", sql("name extensions.gin_trgm_ops"), using="gin"))
"""


def extensions(params) -> dict[str, str]:
    with psycopg.connect(**params) as c:
        rows = c.execute("SELECT e.extname, n.nspname FROM pg_extension e JOIN pg_namespace n ON n.oid = e.extnamespace"
                         " WHERE e.extname <> 'plpgsql'").fetchall()
    return dict(rows)


def push(p) -> list[str]:
    plan = plan_push(p, Resolver(no_renames=True))
    apply_push(p, plan)
    return [o.describe() for o in plan.plan.ops]


def test_generate_migrate_pull_and_drop(tmp_path, fresh_db):
    p = project_for(tmp_path, fresh_db, BASE)
    g = generate(p, Resolver(no_renames=True), name="init")
    up = g.sql[g.paths[0].name]
    assert up.index('CREATE SCHEMA IF NOT EXISTS "extensions"') < up.index('CREATE EXTENSION IF NOT EXISTS "pg_trgm" SCHEMA "extensions"') < up.index("CREATE TABLE")
    migrate(p)
    assert extensions(fresh_db) == {"pg_trgm": "extensions"}
    assert not status(p).drift
    text = pull(p)
    assert "Extension('pg_trgm', schema='extensions')" in text.replace('"', "'")
    write_schema(tmp_path / "schema.py", text)
    assert push(p) == []  # pulled module pushed back: nothing to do
    # a second extension, then both removed with the index that used one
    write_schema(tmp_path / "schema.py", BASE + 'ci = Extension("citext")\n')
    assert push(p) == ["create extension citext in schema public"]
    write_schema(tmp_path / "schema.py", 'users = Table("users", serial("id").primary_key(), text("name"))\n')
    g = generate(p, Resolver(no_renames=True), name="drop")
    up = g.sql[g.paths[0].name]
    assert up.index("DROP INDEX") < up.index('DROP EXTENSION "pg_trgm"') < up.index('DROP SCHEMA "extensions"')


def test_citext_column(tmp_path, fresh_db):
    p = project_for(tmp_path, fresh_db, """
ci = Extension("citext")
users = Table("users", serial("id").primary_key(), column("email", "public.citext").unique())
""")
    generate(p, Resolver(no_renames=True), name="init")
    migrate(p)
    with psycopg.connect(**fresh_db) as c:
        c.execute("INSERT INTO users (email) VALUES ('Ann@X.org')")
        assert c.execute("SELECT count(*) FROM users WHERE email = 'ann@x.org'").fetchone()[0] == 1
    assert extensions(fresh_db) == {"citext": "public"}
    assert not status(p).drift
    assert push(p) == []
