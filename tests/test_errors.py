"""Every db_* command through every expected failure: one line on stderr, the right exit code, no traceback."""

from __future__ import annotations

import contextlib
import re
import secrets
import threading
from pathlib import Path

import psycopg
import pytest

from .conftest import ROOT
from .helpers import create_database, drop_database, run_sql
from .test_commands import run

COMMANDS = {
    "db_generate": ["db_generate", "--check"],
    "db_migrate": ["db_migrate"],
    "db_rollback": ["db_rollback"],
    "db_status": ["db_status"],
    "db_push": ["db_push", "--dry-run"],
    "db_pull": ["db_pull"],
    "db_check": ["db_check", "--database", "default"],
}
ALL_FAIL = {c: 1 for c in COMMANDS} | {"db_generate": 0}  # db_generate never connects
EXPECTED = {  # condition -> command -> exit code; the message each line must hold
    "server down": (ALL_FAIL, "cannot connect to the database"),
    "wrong password": (ALL_FAIL, "password authentication failed"),
    "no privileges": (ALL_FAIL | {"db_pull": 0}, "42501|lacks CREATE on database"),  # the catalogs are readable by anyone
    "connection killed": (ALL_FAIL, "57P01"),
    "migration kills itself": ({"db_migrate": 1, "db_rollback": 1}, r"000[12]_[a-z_]+(\.down)?\.sql: statement 1 failed: .*57P01"),
    "lock timeout": (ALL_FAIL, "55P03"),
    "statement timeout": (ALL_FAIL, "57014"),
    "broken module": ({"db_generate": 1, "db_push": 1, "db_check": 1}, "broken.py:3: NameError"),
}
CASES = [pytest.param(cond, cmd, code, id=f"{cmd}-{cond.replace(' ', '_')}")
         for cond, (codes, _) in EXPECTED.items() for cmd, code in codes.items()]
KILL_SELF = "SELECT pg_terminate_backend(pg_backend_pid())"


@pytest.fixture(scope="module")
def world(admin_params, tmp_path_factory):
    """One database with two migrations applied (the second's down file and a pending third kill their
    own connection), a role without privileges and a role with a password."""
    tmp = tmp_path_factory.mktemp("errors")
    (tmp / "userschema.py").write_text((ROOT / "project" / "schema.py").read_text())
    params = create_database(admin_params)
    assert run("db_generate", "--name", "init", tmp=tmp).returncode == 0
    for name, up, down in (("ok_then_kill", "SELECT 1", KILL_SELF), ("kill", KILL_SELF, "SELECT 1")):
        assert run("db_generate", "--custom", "--name", name, tmp=tmp).returncode == 0
        for path, text in ((next((tmp / "migrations").glob(f"*_{name}.sql")), up),
                           (next((tmp / "migrations").glob(f"*_{name}.down.sql")), down)):
            path.write_text(path.read_text() + text + "\n")
    r = run("db_migrate", "--to", "0001", tmp=tmp, params=params)
    assert r.returncode == 0, r.stderr
    tag = secrets.token_hex(3)
    nopriv, pw = f"sk_nopriv_{tag}", f"sk_pw_{tag}"
    run_sql(admin_params, f"CREATE ROLE {nopriv} LOGIN; CREATE ROLE {pw} LOGIN PASSWORD 'right'")
    with psycopg.connect(**admin_params) as c:
        hba = Path(c.execute("SHOW hba_file").fetchone()[0])
    original = hba.read_text()
    hba.write_text(f"local all {pw} scram-sha-256\nhost all {pw} all scram-sha-256\n" + original)
    run_sql(admin_params, "SELECT pg_reload_conf()")
    yield tmp, params, nopriv, pw
    hba.write_text(original)
    run_sql(admin_params, "SELECT pg_reload_conf()")
    drop_database(admin_params, params)
    run_sql(admin_params, f"DROP ROLE {nopriv}; DROP ROLE {pw}")


@contextlib.contextmanager
def blocked(params: dict):
    """Hold locks that every connecting command waits on: the catalog introspection reads, the tracking table."""
    with psycopg.connect(**params) as c:
        c.execute("LOCK TABLE pg_catalog.pg_depend, public.schemakit_migrations IN ACCESS EXCLUSIVE MODE")
        yield
        c.rollback()


@contextlib.contextmanager
def killer(admin: dict, app: str):
    """Terminate the backend of application `app` as soon as it waits on a lock."""
    stop = threading.Event()

    def loop() -> None:
        with psycopg.connect(**admin, autocommit=True) as c:
            while not stop.wait(0.02):
                c.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity"
                          " WHERE application_name = %s AND wait_event_type = 'Lock'", (app,))

    thread = threading.Thread(target=loop, daemon=True)
    thread.start()
    try:
        yield
    finally:
        stop.set()
        thread.join()


def _run(condition: str, command: str, world, admin_params):
    tmp, params, nopriv, pw = world
    args = COMMANDS[command]
    env = {"PGAPPNAME": f"sk_victim_{secrets.token_hex(3)}"}
    if condition == "server down":
        return run(*args, tmp=tmp, params={**params, "host": str(tmp / "no-server-here")}, extra_env=env)
    if condition == "wrong password":
        return run(*args, tmp=tmp, params={**params, "user": pw, "password": "wrong"}, extra_env=env)
    if condition == "no privileges":
        return run(*args, tmp=tmp, params={**params, "user": nopriv}, extra_env=env)
    if condition == "migration kills itself":  # 0002's up file and 0001's down file
        return run(*args, tmp=tmp, params=params, extra_env=env)
    if condition == "broken module":
        (tmp / "broken.py").write_text("from schemakit import *\nt = Table('t', integer('a'))\nu = Table('u', nope('b'))\n")
        return run(*args, tmp=tmp, params=params, schema="broken", extra_env=env)
    timeouts = {"lock timeout": "-c lock_timeout=200", "statement timeout": "-c statement_timeout=200"}
    with blocked(params):
        if condition in timeouts:
            return run(*args, tmp=tmp, params=params, extra_env={**env, "PGOPTIONS": timeouts[condition]})
        with killer(admin_params, env["PGAPPNAME"]):
            return run(*args, tmp=tmp, params=params, extra_env=env)


@pytest.mark.parametrize("condition, command, code", CASES)
def test_expected_failures_are_one_line(condition, command, code, world, admin_params):
    r = _run(condition, command, world, admin_params)
    assert "Traceback" not in r.stderr, r.stderr
    assert r.returncode == code, (r.returncode, r.stdout, r.stderr)
    if code:
        lines = r.stderr.strip().splitlines()
        assert len(lines) <= 1, r.stderr  # db_check reports its findings on stdout
        assert re.search(EXPECTED[condition][1], r.stderr + r.stdout), (r.stdout, r.stderr)


def test_traceback_flag_shows_the_traceback(world):
    tmp, params, _, _ = world
    r = run("db_status", "--traceback", tmp=tmp, params={**params, "host": str(tmp / "no-server-here")})
    assert r.returncode != 0 and "Traceback" in r.stderr


def test_disk_full_is_one_line_with_its_sqlstate(tmp_path, fresh_db):
    (tmp_path / "userschema.py").write_text("from schemakit import *\n")
    assert run("db_generate", "--custom", "--name", "fill", tmp=tmp_path).returncode == 0
    up = next((tmp_path / "migrations").glob("*_fill.sql"))
    up.write_text(up.read_text() + "DO $$ BEGIN RAISE EXCEPTION 'could not extend file' USING ERRCODE = 'disk_full'; END $$\n")
    r = run("db_migrate", tmp=tmp_path, params=fresh_db)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.strip() == "CommandError: 0000_fill.sql: statement 1 failed: could not extend file [53100]"
