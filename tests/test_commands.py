"""The management commands as a user runs them: subprocesses, exit codes, one-line errors."""

from __future__ import annotations

import json
import os
import re
import subprocess
import sys

import psycopg
import pytest

from .conftest import ROOT
from .helpers import uri

SPEC_SCHEMA = (ROOT / "project" / "schema.py").read_text()


def run(*args: str, tmp, params=None, schema="userschema", extra_env=None) -> subprocess.CompletedProcess:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SCHEMAKIT_TEST_PGDATA")}
    env.update({"SCHEMAKIT_MIGRATIONS_DIR": str(tmp / "migrations"), "SCHEMAKIT_SCHEMA": schema,
                "DJANGO_SETTINGS_MODULE": "project.settings", "PYTHONPATH": f"{ROOT}:{tmp}",
                "SCHEMAKIT_PGDATA": str(tmp / "never-started")})
    if params is not None:
        env["DATABASE_URL"] = uri(params)
    env.update(extra_env or {})
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True,
                          text=True, timeout=120, cwd=tmp)


def test_spec_example_end_to_end(tmp_path, fresh_db):
    (tmp_path / "userschema.py").write_text(SPEC_SCHEMA)
    r = run("db_generate", tmp=tmp_path)
    assert r.returncode == 0, r.stderr
    assert not (tmp_path / "never-started").exists(), "db_generate must not start a database"
    files = sorted(p.name for p in (tmp_path / "migrations").iterdir() if p.name != ".gitattributes")
    assert "*.sql -text" in (tmp_path / "migrations" / ".gitattributes").read_text()
    assert re.fullmatch(r"0000_[a-z]+_[a-z]+\.down\.sql", files[0]) and files[1].endswith(".sql") and files[2] == "meta"
    journal = json.loads((tmp_path / "migrations" / "meta" / "_journal.json").read_text())
    assert journal["version"] == 1 and journal["entries"][0]["index"] == 0 and journal["entries"][0]["transactional"]
    snap = json.loads((tmp_path / "migrations" / "meta" / "0000_snapshot.json").read_text())
    assert snap["parent"] is None and snap["id"]
    assert "CREATE TABLE" in r.stdout
    r = run("db_migrate", tmp=tmp_path, params=fresh_db)
    assert r.returncode == 0, r.stderr
    with psycopg.connect(**fresh_db) as c:
        q = c.execute
        assert q("SELECT enum_range(NULL::mood)::text").fetchone()[0] == "{sad,ok,happy}"
        assert q("SELECT count(*) FROM pg_namespace WHERE nspname = 'blog'").fetchone()[0] == 1
        assert q("SELECT to_regclass('published_posts') IS NOT NULL").fetchone()[0]
        assert q("SELECT indexdef FROM pg_indexes WHERE indexname = 'posts_published_idx'").fetchone()[0].endswith("WHERE published")
        assert "USING gin" in q("SELECT indexdef FROM pg_indexes WHERE indexname = 'posts_meta_idx'").fetchone()[0]
        assert q("SELECT count(*) FROM pg_constraint WHERE conname IN ('posts_title_not_blank', 'posts_price_check')").fetchone()[0] == 2
        assert q("SELECT confdeltype FROM pg_constraint WHERE conname = 'posts_author_id_fkey'").fetchone()[0] == "c"
        assert q("SELECT array_length(conkey, 1) FROM pg_constraint WHERE conname = 'post_tags_pkey'").fetchone()[0] == 2
    assert run("db_generate", "--check", tmp=tmp_path).returncode == 0
    (tmp_path / "userschema.py").write_text(SPEC_SCHEMA.replace('text("display_name"),', 'text("display_name"), text("bio"),'))
    r = run("db_generate", "--check", tmp=tmp_path)
    assert r.returncode == 1 and "add column public.users.bio" in r.stdout
    assert len(list((tmp_path / "migrations").glob("*.sql"))) == 2  # --check wrote nothing


BAD_SCHEMAS = [
    ('t = Table("t", integer("a"))\nu = Table("t", integer("b"))', "duplicate table public.t"),
    ('t = Table("t", integer("a"), text("a"))', "table public.t: duplicate column a"),
    ('t = Table("t", integer("a").references("nope.id"))', "table public.t, column a: references unknown table public.nope"),
    ('u = Table("u", integer("id"))\nt = Table("t", integer("a").references("u.x"))', "table public.t, column a: references unknown column public.u.x"),
    (f't = Table("t", integer("{"x" * 64}"))', "is 64 bytes, PostgreSQL's limit is 63"),
    ('u = Table("u", integer("id"))\nt = Table("t", integer("a").references("u.id", on_delete="explode"))', "table public.t, column a: unknown action 'explode'"),
    ('t = Table("t", boolean("a").default("yes"))', "table public.t, column a: default 'yes' does not fit type boolean"),
    ('t = Table("t", integer("a").default(1.5))', "table public.t, column a: default 1.5 does not fit type integer"),
    ('m = Enum("m", ["x"])\nt = Table("t", m("a").default("y"))', "table public.t, column a: default 'y' is not a value of enum m"),
]


@pytest.mark.parametrize("body, message", BAD_SCHEMAS)
def test_schema_mistakes_are_one_line(tmp_path, body, message):
    (tmp_path / "userschema.py").write_text("from schemakit import *\n" + body + "\n")
    for command in (["db_generate"], ["check"]):
        r = run(*command, tmp=tmp_path)
        assert r.returncode != 0
        assert message in r.stderr, r.stderr
        assert "Traceback" not in r.stderr
    assert len(run("db_generate", tmp=tmp_path).stderr.strip().splitlines()) == 1


def test_non_postgres_alias_is_refused(tmp_path):
    (tmp_path / "userschema.py").write_text(SPEC_SCHEMA)
    settings = tmp_path / "sqlitesettings.py"
    settings.write_text("from project.settings import *\nDATABASES = {**DATABASES, 'lite': {'ENGINE': 'django.db.backends.sqlite3', 'NAME': ':memory:'}}\n")
    r = run("db_migrate", "--database", "lite", tmp=tmp_path, extra_env={"DJANGO_SETTINGS_MODULE": "sqlitesettings"})
    assert r.returncode == 1 and "supports PostgreSQL only" in r.stderr and "Traceback" not in r.stderr
    r = run("db_status", "--database", "nope", tmp=tmp_path, extra_env={"DJANGO_SETTINGS_MODULE": "sqlitesettings"})
    assert r.returncode == 1 and "'nope' is not in DATABASES" in r.stderr


def test_system_checks_report_bad_settings(tmp_path):
    settings = tmp_path / "badsettings.py"
    settings.write_text("from project.settings import *\nSCHEMAKIT = {'SCHEMA': 42, 'IGNORE_TABLES': 'x', 'MIGRATIONS_TABLE': 'a.b.c', 'DATABSE': 'x'}\n")
    r = run("check", tmp=tmp_path, extra_env={"DJANGO_SETTINGS_MODULE": "badsettings"})
    assert r.returncode == 1
    for code in ("schemakit.E002", "schemakit.E003", "schemakit.E006", "schemakit.E007"):
        assert code in r.stderr
    assert "Traceback" not in r.stderr


def test_database_down_is_one_line(tmp_path):
    (tmp_path / "userschema.py").write_text(SPEC_SCHEMA)
    run("db_generate", tmp=tmp_path)
    r = run("db_migrate", tmp=tmp_path, extra_env={"DATABASE_URL": "postgresql://nobody@127.0.0.1:1/none"})
    assert r.returncode == 1 and "cannot connect to the database" in r.stderr and "Traceback" not in r.stderr


def test_rename_ambiguity_exits_3_without_terminal(tmp_path):
    (tmp_path / "userschema.py").write_text('from schemakit import *\nt = Table("t", integer("a"))\n')
    run("db_generate", tmp=tmp_path)
    (tmp_path / "userschema.py").write_text('from schemakit import *\nt = Table("t", integer("b"))\n')
    r = run("db_generate", tmp=tmp_path)
    assert r.returncode == 3 and "--rename t.a=t.b" in r.stderr
    r = run("db_generate", "--rename", "t.a=t.b", tmp=tmp_path)
    assert r.returncode == 0 and 'RENAME COLUMN "a" TO "b"' in r.stdout


def test_schema_qualified_tracking_table(tmp_path, fresh_db):
    (tmp_path / "opssettings.py").write_text(
        "from project.settings import *\nSCHEMAKIT = {**SCHEMAKIT, 'MIGRATIONS_TABLE': 'ops.migrations'}\n")
    env = {"DJANGO_SETTINGS_MODULE": "opssettings"}
    (tmp_path / "userschema.py").write_text('from schemakit import *\nt = Table("t", integer("a"))\n')
    assert run("db_generate", "--name", "first", tmp=tmp_path, extra_env=env).returncode == 0
    (tmp_path / "userschema.py").write_text('from schemakit import *\nt = Table("t", integer("a"), text("b"))\n')
    assert run("db_generate", "--name", "second", tmp=tmp_path, extra_env=env).returncode == 0
    r = run("db_migrate", tmp=tmp_path, params=fresh_db, extra_env=env)
    assert r.returncode == 0, r.stderr

    def tracked():
        with psycopg.connect(**fresh_db) as c:
            assert c.execute("SELECT to_regclass('public.schemakit_migrations')").fetchone() == (None,)
            return [n for (n,) in c.execute("SELECT name FROM ops.migrations ORDER BY name")]

    assert [n.split("_", 1)[0] for n in tracked()] == ["0000", "0001"]
    r = run("db_status", "--exit-code", tmp=tmp_path, params=fresh_db, extra_env=env)
    assert r.returncode == 0, r.stdout + r.stderr  # the ops schema and its table are not drift
    r = run("db_rollback", tmp=tmp_path, params=fresh_db, extra_env=env)
    assert r.returncode == 0, r.stderr
    assert [n.split("_", 1)[0] for n in tracked()] == ["0000"]
    r = run("db_check", "--database", "default", tmp=tmp_path, params=fresh_db, extra_env=env)
    assert r.returncode == 0, r.stdout + r.stderr
