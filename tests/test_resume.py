"""Crash-safe no-transaction migrations: progress per statement, resume, INVALID indexes. Real kill -9."""

from __future__ import annotations

import os
import secrets
import signal
import time

import psycopg
import pytest

from schemakit.api import generate, migrate, rollback, status
from schemakit.diff.renames import Resolver
from schemakit.errors import ChecksumError, StatementError
from schemakit.history import folder as md
from schemakit.pg.quote import ident

from .helpers import drop_database, project_for, write_schema
from .test_migrate import _custom, _rows, manage
from .test_safety import _popen

BIG = 'big = Table("big", integer("id"), text("payload"))\n'
INDEXED = BIG.replace('text("payload"))', 'text("payload"), Index("big_a", "id", concurrently=True), '
                      'Index("big_p", "payload", "id", concurrently=True), Index("big_z", "payload", concurrently=True))')
ROWS = 600_000  # CREATE INDEX CONCURRENTLY on (payload, id) then takes seconds here


@pytest.fixture(scope="module")
def big_template(admin_params, tmp_path_factory):
    """A database holding migration 0000_init (table big) applied and filled; tests clone it."""
    name = f"sk_big_{secrets.token_hex(4)}"
    with psycopg.connect(**admin_params, autocommit=True) as c:
        c.execute(f"CREATE DATABASE {ident(name)} TEMPLATE template0")
    params = {**admin_params, "dbname": name}
    p = project_for(tmp_path_factory.mktemp("tmpl"), params, BIG)
    generate(p, Resolver(), name="init")
    migrate(p)
    with psycopg.connect(**params, autocommit=True) as c:
        c.execute(f"INSERT INTO big SELECT g, md5(g::text) FROM generate_series(1, {ROWS}) g")
        c.execute("VACUUM ANALYZE big")
    yield params
    drop_database(admin_params, params)


@pytest.fixture
def big_db(big_template, admin_params, tmp_path):
    name = f"sk_{secrets.token_hex(5)}"
    with psycopg.connect(**admin_params, autocommit=True) as c:
        c.execute(f"CREATE DATABASE {ident(name)} TEMPLATE {ident(big_template['dbname'])}")
    params = {**admin_params, "dbname": name}
    p = project_for(tmp_path, params, BIG)
    generate(p, Resolver(), name="init")
    write_schema(tmp_path / "schema.py", INDEXED)
    stem = generate(p, Resolver(), name="idx").paths[0].stem
    yield p, params, stem
    drop_database(admin_params, params)


def _indexes(params) -> list[tuple[str, bool]]:
    return _rows(params, "SELECT c.relname::text, i.indisvalid FROM pg_index i JOIN pg_class c ON c.oid = i.indexrelid"
                         " WHERE i.indrelid = 'big'::regclass ORDER BY 1")


def _kill_during(params, tmp, phase: str, terminate: bool) -> None:
    """Start db_migrate, kill -9 it while big_p's build is in `phase`; end its server session too if asked."""
    proc = _popen(params, tmp)
    backend = None
    deadline = time.monotonic() + 60
    while backend is None and time.monotonic() < deadline:
        rows = _rows(params, "SELECT p.pid FROM pg_stat_progress_create_index p JOIN pg_class c ON c.oid = p.index_relid"
                             f" WHERE c.relname = 'big_p' AND p.phase LIKE '{phase}%'")
        backend = rows[0][0] if rows else None
        time.sleep(0.01)
    assert backend is not None, f"never saw phase {phase}: {proc.poll()} {proc.stderr.read() if proc.poll() is not None else ''}"
    os.kill(proc.pid, signal.SIGKILL)
    proc.wait(10)
    if terminate:  # the host died: the server session ends too, and the build with it
        _rows(params, f"SELECT pg_terminate_backend({backend})")
    # else the orphaned session finishes the build, then notices its client is gone
    deadline = time.monotonic() + 60
    while _rows(params, f"SELECT 1 FROM pg_stat_activity WHERE pid = {backend}") and time.monotonic() < deadline:
        time.sleep(0.05)


@pytest.mark.parametrize("phase,terminate", [
    ("building index", True), ("index validation", True), ("building index", False),
], ids=["build-session-ended", "validation-session-ended", "build-orphan-finished"])
def test_kill_9_during_create_index_concurrently_then_resume(big_db, tmp_path, phase, terminate):
    p, params, stem = big_db
    _kill_during(params, tmp_path, phase, terminate)
    st = {m.name: m for m in status(p, check_drift=False).migrations}[stem]
    assert st.state == "partial" and st.progress == "partial: 1 of 3 statements"
    r = manage("db_status", params=params, tmp=tmp_path)
    assert f"[PARTIAL] {stem}  partial: 1 of 3 statements (db_migrate resumes it)" in r.stdout
    if terminate:
        assert ("big_p", False) in _indexes(params)  # the INVALID index the build left
    r = manage("db_migrate", params=params, tmp=tmp_path)
    assert r.returncode == 0, r.stderr
    assert _indexes(params) == [("big_a", True), ("big_p", True), ("big_z", True)]
    assert _rows(params, f"SELECT count(*), bool_and(statements_done IS NULL) FROM schemakit_migrations WHERE name = '{stem}'") == [(1, True)]
    assert status(p).drift == [] and not status(p).problems
    defs = _rows(params, "SELECT indexdef FROM pg_indexes WHERE tablename = 'big' ORDER BY 1")
    assert [d.split(" ON ")[0] for (d,) in defs] == ["CREATE INDEX big_a", "CREATE INDEX big_p", "CREATE INDEX big_z"]


def test_rollback_of_a_partial_file_undoes_only_what_ran(big_db, tmp_path):
    p, params, stem = big_db
    _kill_during(params, tmp_path, "building index", True)
    assert _indexes(params) == [("big_a", True), ("big_p", False)]
    done = rollback(p)
    assert [s.name for s in done] == [stem]
    assert _indexes(params) == []
    assert _rows(params, f"SELECT count(*) FROM schemakit_migrations WHERE name = '{stem}'") == [(0,)]
    migrate(p)
    assert [v for _, v in _indexes(params)] == [True, True, True]


LOG = 'log = Table("log", serial("id").primary_key(), text("who"))\n'
THREE = (md.NO_TRANSACTION + "\nINSERT INTO log (who) VALUES ('one');\n--> statement-breakpoint\n"
         "INSERT INTO log (who) SELECT 'two' WHERE 1/(SELECT count(*) - 1 FROM log) = 1;\n"
         "--> statement-breakpoint\nINSERT INTO log (who) VALUES ('three');")


def _partial(tmp_path, params):
    """A no-transaction file whose statement 2 fails the first time (divides by zero) and not after."""
    p = project_for(tmp_path, params, LOG)
    generate(p, Resolver())
    migrate(p)
    stem = _custom(p, THREE, "three")
    with pytest.raises(StatementError, match=r"statement 2 failed: division by zero .*statements 1-1 stay applied "
                                             r"\(recorded: the next db_migrate resumes at statement 2\)"):
        migrate(p)
    return p, stem


def test_failed_no_transaction_file_resumes_where_it_stopped(tmp_path, fresh_db):
    p, stem = _partial(tmp_path, fresh_db)
    assert [m.progress for m in status(p, check_drift=False).migrations] == ["", "partial: 1 of 3 statements"]
    with psycopg.connect(**fresh_db, autocommit=True) as c:
        c.execute("INSERT INTO log (who) VALUES ('fix')")  # what an on-call engineer does before resuming
    assert [s.name for s in migrate(p)] == [stem]
    assert _rows(fresh_db, "SELECT who FROM log ORDER BY id") == [("one",), ("fix",), ("two",), ("three",)]
    assert not status(p).problems


def test_statements_that_ran_must_not_change(tmp_path, fresh_db):
    p, stem = _partial(tmp_path, fresh_db)
    up = p.folder.up_path(stem)
    up.write_text(up.read_text().replace("('one')", "('uno')"))
    with pytest.raises(ChecksumError, match=rf"{stem}.sql: statement 1 was edited after it ran \(partial: 1 of 3 statements\)"):
        migrate(p)
    r = manage("db_migrate", params=fresh_db, tmp=tmp_path)
    assert r.returncode == 1 and len(r.stderr.strip().splitlines()) == 1 and "statement 1 was edited" in r.stderr
    up.write_text(up.read_text().replace("('uno')", "('one')").replace("WHERE 1/(SELECT count(*) - 1 FROM log) = 1", "WHERE false"))
    migrate(p)
    assert _rows(fresh_db, "SELECT who FROM log ORDER BY id") == [("one",), ("three",)]
    assert _rows(fresh_db, f"SELECT checksum FROM schemakit_migrations WHERE name = '{stem}'") == [(md.checksum(up.read_bytes()),)]


def test_tracking_table_of_an_older_version_gains_the_progress_columns(tmp_path, fresh_db):
    with psycopg.connect(**fresh_db, autocommit=True) as c:
        c.execute("CREATE TABLE schemakit_migrations (id bigint GENERATED ALWAYS AS IDENTITY PRIMARY KEY,"
                  " name text NOT NULL UNIQUE, checksum text NOT NULL, applied_at timestamptz NOT NULL DEFAULT now(),"
                  " execution_ms integer NOT NULL, applied_by text NOT NULL DEFAULT current_user)")
    p = project_for(tmp_path, fresh_db, LOG)
    generate(p, Resolver())
    assert [m.state for m in status(p, check_drift=False).migrations] == ["pending"]  # reads the old table
    migrate(p)
    _custom(p, THREE, "three")
    with pytest.raises(StatementError):
        migrate(p)
    assert [m.state for m in status(p, check_drift=False).migrations] == ["applied", "partial"]


CONSTRAINED = ('acct = Table("acct", integer("id").primary_key())\n'
               'pay = Table("pay", integer("id"), integer("acct_id"), text("email"), Check("pay_id_pos", sql("id > 0")),\n'
               '            ForeignKey(["acct_id"], "acct", ["id"], name="pay_acct_fk"), Index("pay_email", "email", unique=True, concurrently=True))\n')


def test_invalid_index_and_not_valid_constraints_are_drift_and_push_repairs_them(tmp_path, fresh_db):
    from schemakit.api.push import apply_push, plan_push

    p = project_for(tmp_path, fresh_db, CONSTRAINED)
    generate(p, Resolver())
    migrate(p)
    with psycopg.connect(**fresh_db, autocommit=True) as c:  # what a failed CONCURRENTLY build and a NOT VALID add leave
        c.execute("DROP INDEX pay_email")
        c.execute("INSERT INTO acct VALUES (1); INSERT INTO pay VALUES (1, 1, 'a'), (2, 1, 'a')")
        with pytest.raises(psycopg.errors.UniqueViolation):
            c.execute("CREATE UNIQUE INDEX CONCURRENTLY pay_email ON pay (email)")
        c.execute("ALTER TABLE pay DROP CONSTRAINT pay_id_pos, DROP CONSTRAINT pay_acct_fk")
        c.execute("ALTER TABLE pay ADD CONSTRAINT pay_id_pos CHECK (id > 0) NOT VALID,"
                  " ADD CONSTRAINT pay_acct_fk FOREIGN KEY (acct_id) REFERENCES acct (id) NOT VALID")
        c.execute("DELETE FROM pay WHERE id = 2")
    drift = status(p).drift
    assert "drop INVALID index public.pay_email" in drift
    assert "drop NOT VALID constraint pay_id_pos on public.pay" in drift
    assert "drop NOT VALID constraint pay_acct_fk on public.pay" in drift
    pushed = plan_push(p, Resolver(no_renames=True))
    apply_push(p, pushed)
    assert status(p).drift == [] and not plan_push(p, Resolver(no_renames=True)).plan
    assert _rows(fresh_db, "SELECT bool_and(convalidated) FROM pg_constraint WHERE conrelid = 'pay'::regclass") == [(True,)]
    assert _rows(fresh_db, "SELECT indisvalid FROM pg_index WHERE indexrelid = 'pay_email'::regclass") == [(True,)]


def test_eight_runs_while_one_builds_concurrently_and_the_app_writes(big_db, tmp_path):
    """Waiters poll the advisory lock and hold no snapshot, so the CONCURRENTLY build never waits on them."""
    import threading

    p, params, stem = big_db
    stop, written = threading.Event(), [0]

    def writer() -> None:
        with psycopg.connect(**params, autocommit=True) as c:
            while not stop.is_set():
                c.execute("INSERT INTO big VALUES (-1, 'written during the build')")
                written[0] += 1
                time.sleep(0.01)

    t = threading.Thread(target=writer, daemon=True)
    t.start()
    began = time.monotonic()
    procs = [_popen(params, tmp_path) for _ in range(8)]
    results = [(*proc.communicate(timeout=180),) for proc in procs]
    results = [(proc.returncode, out, err) for proc, (out, err) in zip(procs, results, strict=True)]
    elapsed = time.monotonic() - began
    stop.set()
    t.join()
    assert [rc for rc, _, _ in results] == [0] * 8, [err for _, _, err in results]
    assert elapsed < 120, elapsed  # the bound: one build (seconds) plus eight Django start-ups on a loaded machine
    assert sum(f"applied {stem}" in out for _, out, _ in results) == 1
    assert _indexes(params) == [("big_a", True), ("big_p", True), ("big_z", True)]
    assert _rows(params, f"SELECT count(*) FROM schemakit_migrations WHERE name = '{stem}'") == [(1,)]
    assert written[0] > 10 and _rows(params, "SELECT count(*) FROM big WHERE id = -1") == [(written[0],)]
