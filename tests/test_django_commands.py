"""Every command behaves like Django's own: flags, verbosity, colour, exit codes, call_command."""

from __future__ import annotations

import json
import os
import subprocess
import sys

import psycopg
import pytest
from django.core.management import call_command
from django.core.management.base import CommandError

from .conftest import OWN_FIXTURES, ROOT
from .helpers import run_sql
from .test_commands import run

V1 = 'from schemakit import *\nt = Table("t", serial("id").primary_key(), text("a"))\n'
V2 = 'from schemakit import *\nt = Table("t", serial("id").primary_key(), text("a"), text("b"))\n'


def ok(*args, tmp, params=None):
    r = run(*args, tmp=tmp, params=params)
    assert r.returncode == 0, (args, r.stdout, r.stderr)
    return r


def test_flags_verbosity_colour_and_formats(tmp_path, fresh_db):
    (tmp_path / "userschema.py").write_text(V1)
    r = run("db_generate", "--check", "--format", "json", tmp=tmp_path)
    assert r.returncode == 1 and json.loads(r.stdout)["changes"] == ["create table public.t"]
    ok("db_generate", "--name", "one", "--noinput", tmp=tmp_path)
    r = run("db_migrate", "--plan", "--fake", tmp=tmp_path, params=fresh_db)
    assert r.returncode == 2 and "not allowed with argument" in r.stderr
    assert ok("db_migrate", "-v", "0", tmp=tmp_path, params=fresh_db).stdout == ""
    r = ok("db_status", "--check", "--format", "json", tmp=tmp_path, params=fresh_db)
    data = json.loads(r.stdout)
    assert data["ok"] and data["drift"] == [] and [m["state"] for m in data["migrations"]] == ["applied"]
    assert "\x1b[" in ok("db_status", "--force-color", tmp=tmp_path, params=fresh_db).stdout  # piped, yet coloured
    assert "\x1b[" not in ok("db_status", tmp=tmp_path, params=fresh_db).stdout
    r = run("db_status", "--database", "nope", tmp=tmp_path, params=fresh_db)
    assert r.returncode == 1 and "'nope' is not in DATABASES" in r.stderr
    r = run("db_generate", "--database", "nope", tmp=tmp_path)
    assert r.returncode == 1 and "'nope' is not in DATABASES" in r.stderr
    (tmp_path / "userschema.py").write_text(V2)
    ok("db_generate", "--name", "two", tmp=tmp_path)
    r = ok("db_migrate", "-v", "2", tmp=tmp_path, params=fresh_db)
    assert 'ALTER TABLE "public"."t" ADD COLUMN "b" text' in r.stdout
    r = run("db_status", "--exit-code", tmp=tmp_path, params=fresh_db)
    assert r.returncode == 0
    (tmp_path / "userschema.py").write_text(V1)  # dropping b: the warning goes to standard error
    r = ok("db_generate", "--name", "three", tmp=tmp_path)
    assert "warning: drop column" in r.stderr and "warning" not in r.stdout
    r = run("db_status", "--check", tmp=tmp_path, params=fresh_db)
    assert r.returncode == 1 and "pending" in r.stdout


def test_call_command_raises_command_error(tmp_path, settings):
    settings.SCHEMAKIT = {**settings.SCHEMAKIT, "SCHEMA": [str(tmp_path / "s.py")], "MIGRATIONS_DIR": tmp_path / "m"}
    (tmp_path / "s.py").write_text(V1)
    with pytest.raises(CommandError, match="not yet generated") as info:
        call_command("db_generate", "--check", stdout=open(os.devnull, "w"))
    assert info.value.returncode == 1
    (tmp_path / "s.py").write_text("from schemakit import *\nt = Table('t', integer('a'))\nx = nope\n")
    with pytest.raises(CommandError, match=r"s\.py:3: NameError: name 'nope' is not defined"):
        call_command("db_generate")


def test_rollback_shows_drops_with_rows_and_asks(tmp_path, fresh_db):
    (tmp_path / "userschema.py").write_text(V1)
    ok("db_generate", "--name", "one", tmp=tmp_path)
    (tmp_path / "userschema.py").write_text(V2)
    ok("db_generate", "--name", "two", tmp=tmp_path)
    ok("db_migrate", tmp=tmp_path, params=fresh_db)
    run_sql(fresh_db, "INSERT INTO t (a, b) VALUES ('x', 'y'), ('x', NULL)")
    r = ok("db_rollback", "--plan", tmp=tmp_path, params=fresh_db)
    assert "drop column public.t.b (1 row with data)" in r.stdout and 'DROP COLUMN "b"' in r.stdout
    r = run("db_rollback", tmp=tmp_path, params=fresh_db)  # no terminal: refuses, changes nothing
    assert r.returncode == 1 and "refusing to roll back without a terminal" in r.stderr
    assert "data loss: drop column public.t.b" in r.stderr
    r = run("db_rollback", "--steps", "2", "--noinput", tmp=tmp_path, params=fresh_db)
    assert r.returncode == 1 and "drop table public.t (2 rows with data)" in r.stdout
    ok("db_rollback", "--force", tmp=tmp_path, params=fresh_db)
    with psycopg.connect(**fresh_db) as c:
        cols = c.execute("SELECT array_agg(attname::text ORDER BY attnum) FROM pg_attribute WHERE attrelid = 't'::regclass AND attnum > 0 AND NOT attisdropped").fetchone()[0]
    assert cols == ["id", "a"]
    run_sql(fresh_db, "TRUNCATE t")
    ok("db_rollback", tmp=tmp_path, params=fresh_db)  # nothing holds data: no question


def test_generate_update_rewrites_the_newest_until_applied(tmp_path, fresh_db):
    (tmp_path / "userschema.py").write_text(V1)
    ok("db_generate", "--name", "one", tmp=tmp_path)
    (tmp_path / "userschema.py").write_text(V2)
    ok("db_generate", "--name", "two", tmp=tmp_path)
    (tmp_path / "userschema.py").write_text(V2.replace('text("b")', 'integer("b")'))
    r = ok("db_generate", "--update", tmp=tmp_path, params=fresh_db)
    assert "0001_two.sql" in r.stdout and 'ADD COLUMN "b" integer' in r.stdout
    assert sorted(p.name for p in (tmp_path / "migrations").glob("*.sql")) == [
        "0000_one.down.sql", "0000_one.sql", "0001_two.down.sql", "0001_two.sql"]
    ok("db_migrate", tmp=tmp_path, params=fresh_db)
    r = run("db_generate", "--update", tmp=tmp_path, params=fresh_db)
    assert r.returncode == 2 and "0001_two is applied to the database" in r.stderr
    ok("db_check", tmp=tmp_path)


def test_pull_is_ruff_formatted_and_never_overwrites(tmp_path, fresh_db):
    run_sql(fresh_db, (OWN_FIXTURES / "real" / "shop" / "a.sql").read_text())
    out = tmp_path / "pulled.py"
    ok("db_pull", "--out", str(out), tmp=tmp_path, params=fresh_db)
    r = subprocess.run([sys.executable, "-m", "ruff", "format", "--isolated", "--check", str(out)], capture_output=True, text=True)
    assert r.returncode == 0, r.stdout + r.stderr
    assert '"""' in out.read_text() and 'sql("now()")' in out.read_text()  # view bodies triple-quoted, double quotes
    before = out.read_text()
    r = run("db_pull", "--out", str(out), tmp=tmp_path, params=fresh_db)
    assert r.returncode == 1 and "exists; use --force" in r.stderr and out.read_text() == before
    ok("db_pull", "--out", str(out), "--force", tmp=tmp_path, params=fresh_db)


def test_dbshell_and_status_with_the_embedded_backend(tmp_path):
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL",)}
    env.update({"DJANGO_SETTINGS_MODULE": "project.settings", "PYTHONPATH": str(ROOT), "SCHEMAKIT_PGDATA": str(tmp_path / "data")})
    try:
        r = subprocess.run([sys.executable, str(ROOT / "manage.py"), "dbshell"], input="SELECT 40 + 2 AS answer;\n",
                           env=env, capture_output=True, text=True, timeout=180, cwd=ROOT)
        assert r.returncode == 0 and "42" in r.stdout, r.stderr
        r = subprocess.run([sys.executable, "-m", "schemakit.embedded", "status"], env={**env, "DJANGO_SETTINGS_MODULE": ""},
                           capture_output=True, text=True, timeout=60, cwd=ROOT)
        lines = r.stdout.splitlines()
        assert lines[0] == f"running: data in {tmp_path / 'data'}", r.stdout + r.stderr
        assert lines[1].startswith("connection: postgresql://postgres@/postgres?host=") and lines[2].startswith("psql: psql -h ")
        psql = lines[2].removeprefix("psql: ").split()
        from schemakit.backends.embedded.client import psql_path

        q = subprocess.run([psql_path(), *psql[1:], "-Atc", "SELECT 7"], capture_output=True, text=True, timeout=60)
        assert q.stdout.strip() == "7", q.stderr
    finally:
        subprocess.run([sys.executable, "-m", "schemakit.embedded", "stop", str(tmp_path / "data")], env=env, timeout=60)


def test_two_runs_within_one_second_stay_two_runs_for_update(tmp_path):
    """--update takes out the files one db_generate wrote, found by their common `created`: a second run
    in the same second (generate got fast enough for that) is stamped a second later, not merged."""
    from datetime import UTC, datetime

    from schemakit.api.generate import generate
    from schemakit.api.project import Project
    from schemakit.api.update import newest
    from schemakit.diff.renames import Resolver

    schema = tmp_path / "s.py"
    project = Project([str(schema)], tmp_path / "migrations")
    now = datetime(2026, 12, 3, 18, 30, 0, tzinfo=UTC)
    schema.write_text(V1)
    generate(project, Resolver(), name="one", now=now)
    schema.write_text(V2)
    generate(project, Resolver(), name="two", now=now)
    entries = project.folder.journal()
    assert [e.created for e in entries] == ["2026-12-03T18:30:00Z", "2026-12-03T18:30:01Z"]
    assert [e.name for e in newest(project.folder)] == ["0001_two"]
