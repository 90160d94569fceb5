"""db_push under the migration lock, scratch databases left by killed commands, enum values that stay."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import time

import psycopg
import pytest

from schemakit.api import Project
from schemakit.api.push import apply_push, plan_push
from schemakit.diff.renames import Resolver
from schemakit.errors import StatementError
from schemakit.history.tracker import lock_key
from schemakit.pg.scratch import PREFIX, scratch_database

from .conftest import ROOT
from .helpers import run_sql, uri
from .test_migrate import _rows


def _start(params, tmp, *args: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": uri(params), "SCHEMAKIT_MIGRATIONS_DIR": str(tmp / "migrations"),
           "SCHEMAKIT_SCHEMA": "userschema", "DJANGO_SETTINGS_MODULE": "project.settings", "PYTHONPATH": f"{ROOT}:{tmp}"}
    return subprocess.Popen([sys.executable, str(ROOT / "manage.py"), *args], env=env, cwd=tmp,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _scratch_names(params) -> list[str]:
    return [n for (n,) in _rows(params, f"SELECT datname FROM pg_database WHERE starts_with(datname, '{PREFIX}')")]


def test_push_waits_for_the_migration_lock(tmp_path, fresh_db):
    (tmp_path / "userschema.py").write_text('from schemakit import *\nt = Table("t", integer("id"))\n')
    with psycopg.connect(**fresh_db, autocommit=True, application_name="schemakit db_migrate 0007_slow") as holder:
        holder.execute("SELECT pg_advisory_lock(%s)", (lock_key("public", "schemakit_migrations"),))
        proc = _start(fresh_db, tmp_path, "db_push")
        time.sleep(6)  # the plan, then the wait
        assert proc.poll() is None and _rows(fresh_db, "SELECT to_regclass('t')") == [(None,)]
        holder.execute("SELECT pg_advisory_unlock_all()")
        out, err = proc.communicate(timeout=60)
        assert proc.returncode == 0, err
        assert f"waiting for db_migrate 0007_slow (pid {holder.info.backend_pid}, since " in out
    assert _rows(fresh_db, "SELECT to_regclass('t') IS NOT NULL") == [(True,)]


HOLD = """
import sys, time, json
from schemakit.pg.scratch import scratch_database
with scratch_database(json.loads(sys.argv[1])):
    print("inside", flush=True)
    time.sleep(60)
"""


@pytest.mark.parametrize("sig", [signal.SIGKILL, signal.SIGTERM], ids=["kill-9", "SIGTERM"])
def test_scratch_database_of_a_killed_command_is_removed(tmp_path, fresh_db, sig):
    import json

    before = set(_scratch_names(fresh_db))
    proc = subprocess.Popen([sys.executable, "-c", HOLD, json.dumps(fresh_db)], stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, text=True, env={**os.environ, "PYTHONPATH": str(ROOT)})
    assert proc.stdout.readline().strip() == "inside"
    left = set(_scratch_names(fresh_db)) - before
    assert len(left) == 1
    proc.send_signal(sig)
    proc.communicate(timeout=30)
    if sig == signal.SIGTERM:  # it cleans up before it exits
        assert not set(_scratch_names(fresh_db)) & left
        return
    assert set(_scratch_names(fresh_db)) & left  # kill -9: nothing cleaned up
    time.sleep(0.5)  # its sessions notice the closed socket
    with scratch_database(fresh_db):
        pass
    assert not set(_scratch_names(fresh_db)) & left


def test_scratch_database_of_a_live_session_is_kept(fresh_db):
    with psycopg.connect(**fresh_db, autocommit=True) as live:
        mine = f"{PREFIX}{live.info.backend_pid}_cafe"
        dead = f"{PREFIX}2147483_dead"
        for name in (mine, dead):
            live.execute(f'CREATE DATABASE "{name}"')
        with scratch_database(fresh_db):
            pass
        names = _scratch_names(fresh_db)
        live.execute(f'DROP DATABASE "{mine}"')
    assert mine in names and dead not in names


def test_failed_push_names_the_enum_values_that_stay_committed(tmp_path, fresh_db):
    run_sql(fresh_db, "CREATE TYPE mood AS ENUM ('sad', 'ok'); CREATE TABLE t (id integer, m mood, v text);"
                      "INSERT INTO t VALUES (1, 'ok', 'dup'), (2, 'ok', 'dup');")
    f = tmp_path / "s.py"
    f.write_text('from schemakit import *\nmood = Enum("mood", ["sad", "ok", "happy"])\n'
                 't = Table("t", integer("id"), mood("m").default("happy"), text("v").unique())\n')
    p = Project([str(f)], tmp_path / "migrations", params=lambda: fresh_db)
    pushed = plan_push(p, Resolver(no_renames=True))
    assert pushed.before
    with pytest.raises(StatementError, match=r"could not create unique index .*stay committed: ALTER TYPE \"public\".\"mood\" ADD VALUE 'happy'"):
        apply_push(p, pushed)
    assert _rows(fresh_db, "SELECT enum_range(NULL::mood)::text") == [("{sad,ok,happy}",)]
