"""db_migrate on a busy database: lock timeouts and retries, who holds the lock, signals. Real blocking sessions."""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path

import psycopg
import pytest

from schemakit.api import generate, migrate
from schemakit.diff.renames import Resolver
from schemakit.errors import LockNotAvailable
from schemakit.history import folder as md
from schemakit.history.locks import Limits
from schemakit.history.runner import Executor

from .conftest import ROOT
from .helpers import project_for, uri
from .test_migrate import _custom, _rows, manage

USERS = 'users = Table("users", serial("id").primary_key(), text("name"))\nlog = Table("log", serial("id").primary_key(), text("who"))\n'


def _setup(tmp_path, params, sql_text: str):
    p = project_for(tmp_path, params, USERS)
    generate(p, Resolver())
    migrate(p)
    return p, _custom(p, sql_text, "alter_users")


def _blocker(params) -> psycopg.Connection:
    """A session holding ACCESS SHARE on users in an open transaction."""
    conn = psycopg.connect(**params, application_name="blocker-app")
    conn.execute("SELECT count(*) FROM users").fetchone()
    return conn


class Reader(threading.Thread):
    """The application: SELECTs on users in a loop, noting the longest wait."""

    def __init__(self, params) -> None:
        super().__init__(daemon=True)
        self.params, self.longest, self.stop = params, 0.0, threading.Event()

    def run(self) -> None:
        with psycopg.connect(**self.params, autocommit=True) as conn:
            while not self.stop.is_set():
                t = time.monotonic()
                conn.execute("SELECT count(*) FROM users").fetchone()
                self.longest = max(self.longest, time.monotonic() - t)
                time.sleep(0.02)


def _popen(params, tmp, *args: str) -> subprocess.Popen:
    env = {**os.environ, "DATABASE_URL": uri(params), "SCHEMAKIT_MIGRATIONS_DIR": str(tmp / "migrations"),
           "SCHEMAKIT_SCHEMA": "project.schema", "DJANGO_SETTINGS_MODULE": "project.settings", "PYTHONPATH": str(ROOT)}
    return subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "db_migrate", *args], env=env,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def _wait_for(params, query: str, timeout: float = 30.0) -> None:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if _rows(params, query):
            return
        time.sleep(0.05)
    raise AssertionError(f"timed out waiting for: {query}")


def test_lock_timeout_retries_names_the_holder_and_gives_up_while_readers_flow(tmp_path, fresh_db):
    p, stem = _setup(tmp_path, fresh_db, "ALTER TABLE users ADD COLUMN nick text;")
    blocker, reader = _blocker(fresh_db), Reader(fresh_db)
    reader.start()
    try:
        r = manage("db_migrate", "--lock-timeout", "1s", "--retries", "2", params=fresh_db, tmp=tmp_path)
    finally:
        reader.stop.set()
        reader.join()
        holder_pid = blocker.info.backend_pid
        blocker.close()
    assert r.returncode == 1, r.stderr
    err = r.stderr.strip()
    assert len(err.splitlines()) == 1 and "Traceback" not in err
    assert f"{stem}.sql: statement 1 failed: canceling statement due to lock timeout [55P03] (3 attempts)" in err
    assert f"pid {holder_pid} (user postgres, application 'blocker-app'" in err and "nothing of the file was applied" in err
    retries = [ln for ln in r.stdout.splitlines() if "lock timeout, held by" in ln]
    assert len(retries) == 2 and "retry 1 of 2" in retries[0] and "retry 2 of 2" in retries[1]
    assert _rows(fresh_db, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'nick'") == [(0,)]
    assert stem not in [n for (n,) in _rows(fresh_db, "SELECT name FROM schemakit_migrations")]
    # the point: the queue behind our ACCESS EXCLUSIVE request never held the application up longer than the timeout
    assert 0.3 < reader.longest < 1.6, reader.longest


def test_blocker_commits_within_the_retries_and_the_file_is_retried_whole(tmp_path, fresh_db):
    p, stem = _setup(tmp_path, fresh_db, "INSERT INTO log (who) VALUES ('once');\n--> statement-breakpoint\n"
                                         "ALTER TABLE users ADD COLUMN nick text;")
    p.limits = Limits(lock_timeout="300ms", retries=6, backoff=0.2)
    blocker = _blocker(fresh_db)
    threading.Timer(1.0, blocker.commit).start()
    lines: list[str] = []
    done = migrate(p, notify=lines.append, allow_drift=True)  # a custom file adds a column the module lacks
    blocker.close()
    assert [s.name for s in done] == [stem]
    assert any("retry 1 of 6" in ln and "blocker-app" in ln for ln in lines), lines
    assert _rows(fresh_db, "SELECT count(*) FROM log") == [(1,)]  # the rolled-back attempts left nothing
    assert _rows(fresh_db, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'nick'") == [(1,)]


def test_no_transaction_file_retries_only_the_statement_that_timed_out(tmp_path, fresh_db):
    p, stem = _setup(tmp_path, fresh_db, md.NO_TRANSACTION + "\nINSERT INTO log (who) VALUES ('once');\n"
                     "--> statement-breakpoint\nALTER TABLE users ADD COLUMN nick text;")
    p.limits = Limits(lock_timeout="300ms", retries=1, backoff=0.1)
    blocker = _blocker(fresh_db)
    lines: list[str] = []
    with pytest.raises(LockNotAvailable, match=r"statement 2 failed: .*55P03.*statements 1-1 stay applied"):
        migrate(p, notify=lines.append, allow_drift=True)
    assert len(lines) == 1 and "statement 2: lock timeout" in lines[0]
    blocker.commit()
    p.limits = Limits(lock_timeout="300ms", retries=6, backoff=0.2)
    blocker.execute("SELECT count(*) FROM users")
    threading.Timer(1.0, blocker.commit).start()
    migrate(p, notify=lines.append, allow_drift=True)
    blocker.close()
    assert _rows(fresh_db, "SELECT count(*) FROM log") == [(1,)]
    assert _rows(fresh_db, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'nick'") == [(1,)]


@pytest.mark.parametrize("transactional", [True, False], ids=["transaction", "no-transaction"])
def test_timeouts_are_never_left_set_on_the_connection(fresh_db, transactional):
    with psycopg.connect(**fresh_db, autocommit=True) as conn:
        before = conn.execute("SELECT current_setting('lock_timeout'), current_setting('statement_timeout')").fetchone()
        seen = []
        text = md.join_statements(["SELECT 1", "SELECT 2"], transactional)
        Executor(conn, Limits("1234ms", "5min")).run_file(
            "f.sql", text, transactional,
            lambda ms: seen.append(conn.execute("SELECT current_setting('lock_timeout')").fetchone()[0]))
        after = conn.execute("SELECT current_setting('lock_timeout'), current_setting('statement_timeout')").fetchone()
    assert after == before == ("0", "0")
    assert seen == (["1234ms"] if transactional else ["0"])


def test_bad_timeout_setting_is_one_line_before_anything_runs(tmp_path, fresh_db):
    p, stem = _setup(tmp_path, fresh_db, "ALTER TABLE users ADD COLUMN nick text;")
    r = manage("db_migrate", "--lock-timeout", "soon", params=fresh_db, tmp=tmp_path)
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1 and "lock_timeout" in r.stderr
    assert _rows(fresh_db, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'nick'") == [(0,)]


@pytest.mark.parametrize("sig,code", [(signal.SIGINT, 130), (signal.SIGTERM, 143)], ids=["SIGINT", "SIGTERM"])
def test_signal_cancels_a_statement_waiting_on_a_lock(tmp_path, fresh_db, sig, code):
    p, stem = _setup(tmp_path, fresh_db, "ALTER TABLE users ADD COLUMN nick text;")
    blocker = _blocker(fresh_db)
    proc = _popen(fresh_db, tmp_path, "--lock-timeout", "0")  # would wait forever
    try:
        _wait_for(fresh_db, "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock'"
                  f" AND application_name = 'schemakit db_migrate {stem}'")
        proc.send_signal(sig)
        out, err = proc.communicate(timeout=15)
    finally:
        proc.kill()
        blocker.commit()
        blocker.close()
    assert proc.returncode == code, (out, err)
    assert len(err.strip().splitlines()) == 1 and "Traceback" not in err
    assert f"interrupted by {sig.name} while running {stem}.sql" in err and "nothing of" in err
    assert _rows(fresh_db, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'nick'") == [(0,)]
    assert _rows(fresh_db, "SELECT count(*) FROM pg_stat_activity WHERE application_name LIKE 'schemakit%'") == [(0,)]
    assert stem not in [n for (n,) in _rows(fresh_db, "SELECT name FROM schemakit_migrations")]


def test_waiting_runs_say_who_they_wait_for(tmp_path, fresh_db):
    p, stem = _setup(tmp_path, fresh_db, "ALTER TABLE users ADD COLUMN nick text;")
    blocker = _blocker(fresh_db)
    first = _popen(fresh_db, tmp_path, "--lock-timeout", "0", "--allow-drift")
    _wait_for(fresh_db, "SELECT 1 FROM pg_stat_activity WHERE wait_event_type = 'Lock' AND application_name LIKE 'schemakit%'")
    (pid,), = _rows(fresh_db, f"SELECT pid FROM pg_stat_activity WHERE application_name = 'schemakit db_migrate {stem}'")
    second = _popen(fresh_db, tmp_path, "--allow-drift")
    time.sleep(4)  # a report every 3 s
    blocker.commit()
    blocker.close()
    out1, err1 = first.communicate(timeout=30)
    out2, err2 = second.communicate(timeout=30)
    assert first.returncode == 0 and second.returncode == 0, (err1, err2)
    assert f"for a lock: {stem}.sql statement 1, held by pid" in out1 and "application 'blocker-app'" in out1
    assert "idle in transaction since" in out1 and "query: 'SELECT count(*) FROM users'" in out1
    assert f"waiting for db_migrate {stem} (pid {pid}, since " in out2, out2
    assert "No pending migrations." in out2


def test_cli_reads_settings_and_flags(tmp_path: Path) -> None:
    from django.test import override_settings

    from schemakit.api.project import project_for

    with override_settings(SCHEMAKIT={"LOCK_TIMEOUT": "2s", "STATEMENT_TIMEOUT": "1min", "RETRIES": 3}):
        limits = project_for().limits
    assert (limits.lock_timeout, limits.statement_timeout, limits.retries) == ("2s", "1min", 3)


def test_guard_refuses_to_start_on_a_drifted_database(tmp_path, fresh_db):
    from .helpers import run_sql, write_schema

    p = project_for(tmp_path, fresh_db, USERS)
    generate(p, Resolver())
    migrate(p)
    run_sql(fresh_db, "ALTER TABLE users ADD COLUMN extra int")
    write_schema(tmp_path / "schema.py", USERS.replace('text("name"))', 'text("name"), text("email"))'))
    stem = generate(p, Resolver()).paths[0].stem
    assert manage("db_migrate", "--plan", params=fresh_db, tmp=tmp_path).returncode == 0
    r = manage("db_migrate", "--guard", params=fresh_db, tmp=tmp_path)
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1
    assert "differs from the snapshot of 0000_" in r.stderr and "drop column public.users.extra" in r.stderr
    assert stem not in [n for (n,) in _rows(fresh_db, "SELECT name FROM schemakit_migrations")]
    assert manage("db_migrate", "--guard", "--allow-drift", params=fresh_db, tmp=tmp_path).returncode == 0


def test_guard_is_on_by_default_and_allow_drift_goes_on(tmp_path, fresh_db):
    """A drifted database stops db_migrate before the first file; --allow-drift applies it anyway."""
    from schemakit import conf

    from .helpers import run_sql

    assert conf.schema_guard() is True
    p = project_for(tmp_path, fresh_db, USERS)
    generate(p, Resolver())
    migrate(p)
    run_sql(fresh_db, "ALTER TABLE users ADD COLUMN extra int")
    stem = _custom(p, "SELECT 1;", "noop")
    r = manage("db_migrate", params=fresh_db, tmp=tmp_path)
    assert r.returncode == 1 and f"applied {stem}" not in r.stdout, r.stdout + r.stderr
    assert "differs from the snapshot of" in r.stderr and "drop column public.users.extra" in r.stderr
    assert "--allow-drift" in r.stderr and len(r.stderr.strip().splitlines()) == 1
    r = manage("db_migrate", "--allow-drift", params=fresh_db, tmp=tmp_path)
    assert r.returncode == 0 and f"applied {stem}" in r.stdout, r.stderr
    r = manage("db_status", params=fresh_db, tmp=tmp_path)
    assert "drop column public.users.extra" in r.stdout  # still reported


def test_guard_reports_structure_a_custom_migration_added(tmp_path, fresh_db):
    p, stem = _setup(tmp_path, fresh_db, "CREATE TABLE surprise (id bigint);")
    r = manage("db_migrate", "--guard", params=fresh_db, tmp=tmp_path)
    assert r.returncode == 1 and f"applied {stem}" in r.stdout
    assert "now differs from the snapshot of" in r.stderr and "drop table public.surprise" in r.stderr


@pytest.mark.parametrize("tables", [3, 60])
def test_guard_costs_a_fixed_number_of_catalog_queries(tmp_path, fresh_db, tables):
    from schemakit.pg import introspect as pgi

    body = "".join(f't{i} = Table("t{i}", bigint("id").primary_key(), text("v"))\n' for i in range(tables))
    p = project_for(tmp_path, fresh_db, body)
    generate(p, Resolver())
    migrate(p, allow_drift=False)
    _custom(p, "SELECT 1;", "noop")
    before = pgi.QUERY_COUNT[0]
    migrate(p, allow_drift=False)
    guarded = pgi.QUERY_COUNT[0] - before
    _custom(p, "SELECT 1;", "noop2")
    before = pgi.QUERY_COUNT[0]
    migrate(p, allow_drift=True)
    assert pgi.QUERY_COUNT[0] - before == 0
    # one introspection of the live database before and one after; the snapshot's canonical form was
    # cached by the first run's check, so no scratch build: the same count at 3 tables or 60
    assert guarded == 2 * len(pgi.QUERIES)
