"""db_migrate, db_status and db_rollback against a real server, in and out of process."""

from __future__ import annotations

import os
import subprocess
import sys
from concurrent.futures import ThreadPoolExecutor

import psycopg
import pytest

from schemakit.api import baseline, generate, migrate, plan_migrate, rollback, status
from schemakit.diff.renames import Resolver
from schemakit.errors import ChecksumError, MigrationsDirError, StatementError, UsageError
from schemakit.history import folder as md

from .conftest import ROOT
from .helpers import project_for, uri, write_schema

BASE = 'log = Table("log", serial("id").primary_key(), text("who").not_null())\n'


def _custom(p, sql_text: str, name: str = "step") -> str:
    g = generate(p, Resolver(), name=name, custom=True)
    up = g.paths[0]
    up.write_text(up.read_text() + sql_text)
    return up.stem


def _rows(params, q: str):
    with psycopg.connect(**params) as c:
        return c.execute(q).fetchall()


def manage(*args: str, params: dict, tmp, schema: str = "project.schema") -> subprocess.CompletedProcess:
    env = {**os.environ, "DATABASE_URL": uri(params), "SCHEMAKIT_MIGRATIONS_DIR": str(tmp / "migrations"),
           "SCHEMAKIT_SCHEMA": schema, "DJANGO_SETTINGS_MODULE": "project.settings", "PYTHONPATH": str(ROOT)}
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env, capture_output=True, text=True, timeout=120)


def test_eight_concurrent_runs_apply_each_migration_once(tmp_path, fresh_db):
    p = project_for(tmp_path, fresh_db, BASE)
    generate(p, Resolver())
    for i in range(3):
        _custom(p, f"INSERT INTO log (who) VALUES ('migration {i}');\n--> statement-breakpoint\nSELECT pg_sleep(0.2);", f"s{i}")
    with ThreadPoolExecutor(8) as pool:
        results = list(pool.map(lambda _: manage("db_migrate", params=fresh_db, tmp=tmp_path), range(8)))
    assert [r.returncode for r in results] == [0] * 8, [r.stderr for r in results]
    assert _rows(fresh_db, "SELECT who FROM log ORDER BY id") == [("migration 0",), ("migration 1",), ("migration 2",)]
    names = [r[0] for r in _rows(fresh_db, "SELECT name FROM schemakit_migrations ORDER BY name")]
    assert len(names) == 4 and len(set(names)) == 4


def test_edited_applied_file_is_refused_and_nothing_runs(tmp_path, fresh_db):
    p = project_for(tmp_path, fresh_db, BASE)
    first = generate(p, Resolver()).paths[0]
    migrate(p)
    _custom(p, "INSERT INTO log (who) VALUES ('should not run');")
    first.write_bytes(first.read_bytes() + b" ")
    r = manage("db_migrate", params=fresh_db, tmp=tmp_path)
    assert r.returncode != 0
    assert first.name in r.stderr and "edited" in r.stderr and "Traceback" not in r.stderr
    assert _rows(fresh_db, "SELECT count(*) FROM log") == [(0,)]


def test_missing_applied_file_is_refused(tmp_path, fresh_db):
    p = project_for(tmp_path, fresh_db, BASE)
    first = generate(p, Resolver()).paths[0]
    migrate(p)
    first.unlink()
    with pytest.raises(MigrationsDirError, match=f"{first.name} is in the journal but missing"):
        migrate(p)


def test_failing_third_statement_leaves_nothing(tmp_path, fresh_db):
    p = project_for(tmp_path, fresh_db, BASE)
    generate(p, Resolver())
    migrate(p)
    stem = _custom(p, "CREATE TABLE t1 (a int);\n--> statement-breakpoint\nINSERT INTO log (who) VALUES ('x');"
                      "\n--> statement-breakpoint\nSELECT 1/0;")
    r = manage("db_migrate", params=fresh_db, tmp=tmp_path)
    assert r.returncode == 1
    err = r.stderr.strip()
    assert "Traceback" not in err and len(err.splitlines()) == 1
    assert f"{stem}.sql: statement 3 failed: division by zero" in err
    assert _rows(fresh_db, "SELECT to_regclass('t1') IS NULL, (SELECT count(*) FROM log)") == [(True, 0)]
    assert stem not in [r[0] for r in _rows(fresh_db, "SELECT name FROM schemakit_migrations")]


def test_plan_fake_to_and_status(tmp_path, fresh_db):
    p = project_for(tmp_path, fresh_db, BASE)
    a = generate(p, Resolver()).paths[0].stem
    b = _custom(p, "INSERT INTO log (who) VALUES ('b');", "b")
    c = _custom(p, "INSERT INTO log (who) VALUES ('c');", "c")
    assert [s.name for s in plan_migrate(p)] == [a, b, c]
    assert [s.name for s in migrate(p, to="0001")] == [a, b]
    assert _rows(fresh_db, "SELECT who FROM log") == [("b",)]
    st = status(p)
    assert [m.state for m in st.migrations] == ["applied", "applied", "pending"]
    assert st.drift == [] and st.problems
    assert [s.name for s in migrate(p, fake=True)] == [c]
    assert _rows(fresh_db, "SELECT who FROM log") == [("b",)]
    assert not status(p).problems


def test_status_reports_edited_missing_and_drift(tmp_path, fresh_db):
    p = project_for(tmp_path, fresh_db, BASE)
    up = generate(p, Resolver()).paths[0]
    migrate(p)
    with psycopg.connect(**fresh_db, autocommit=True) as conn:
        conn.execute("ALTER TABLE log ADD COLUMN extra int")
    up.write_text(up.read_text() + "\n-- edited")
    st = status(p)
    assert [m.state for m in st.migrations] == ["edited"]
    assert st.drift == ["drop column public.log.extra and its data"]
    r = manage("db_status", "--exit-code", params=fresh_db, tmp=tmp_path)
    assert r.returncode == 1 and "EDITED" in r.stdout and "log.extra" in r.stdout


def test_baseline_records_without_running(tmp_path, fresh_db):
    p = project_for(tmp_path, fresh_db, BASE)
    generate(p, Resolver())
    _custom(p, "INSERT INTO log (who) VALUES ('b');", "b")
    assert len(baseline(p, "0000")) == 1
    assert _rows(fresh_db, "SELECT to_regclass('log') IS NULL") == [(True,)]
    with pytest.raises(UsageError):
        baseline(p, "0001")


def test_rollback_refuses_edited_down_file(tmp_path, fresh_db):
    p = project_for(tmp_path, fresh_db, BASE)
    g = generate(p, Resolver())
    migrate(p)
    down = g.paths[1]
    down.write_text(down.read_text().replace("DROP TABLE", "DROP TABLE IF EXISTS"))
    with pytest.raises(ChecksumError, match="down.sql was edited"):
        rollback(p)
    assert _rows(fresh_db, "SELECT to_regclass('log') IS NOT NULL") == [(True,)]


def test_no_transaction_migration(tmp_path, fresh_db):
    p = project_for(tmp_path, fresh_db, BASE)
    generate(p, Resolver())
    write_schema(tmp_path / "schema.py", BASE.replace('not_null())', 'not_null(), text("note"), Index("log_who", "who", concurrently=True))'))
    g = generate(p, Resolver())
    up_files = [x for x in g.paths if x.name.endswith(".sql") and not x.name.endswith(".down.sql")]
    assert len(up_files) == 2 and up_files[-1].read_text().startswith(md.NO_TRANSACTION)
    assert [e.transactional for e in p.folder.journal()] == [True, True, False]
    assert g.paths[-2].read_text().startswith(md.NO_TRANSACTION)  # its down file too
    migrate(p)
    assert _rows(fresh_db, "SELECT indexname FROM pg_indexes WHERE indexname = 'log_who'") == [("log_who",)]
    rollback(p)
    assert _rows(fresh_db, "SELECT count(*) FROM pg_indexes WHERE indexname = 'log_who'") == [(0,)]
    rollback(p)
    assert _rows(fresh_db, "SELECT count(*) FROM information_schema.columns WHERE column_name = 'note'") == [(0,)]


def test_statement_error_names_file(tmp_path, fresh_db):
    p = project_for(tmp_path, fresh_db, BASE)
    generate(p, Resolver())
    stem = _custom(p, "SELECT nonsense FROM nowhere;")  # parses (a file that does not is refused before running)
    with pytest.raises(StatementError, match=rf"{stem}.sql: statement 1 failed: relation \"nowhere\" does not exist"):
        migrate(p)


def test_failure_in_no_transaction_file_says_what_stays(tmp_path, fresh_db):
    p = project_for(tmp_path, fresh_db, BASE)
    generate(p, Resolver())
    migrate(p)
    up = generate(p, Resolver(), name="conc", custom=True).paths[0]
    up.write_text(up.read_text() + md.NO_TRANSACTION + "\nCREATE INDEX CONCURRENTLY log_who ON log (who);\n"
                  "--> statement-breakpoint\nSELECT 1/0;\n")
    with pytest.raises(StatementError, match=r"statement 2 failed: division by zero .*statements 1-1 stay applied"):
        migrate(p)
    assert _rows(fresh_db, "SELECT count(*) FROM pg_indexes WHERE indexname = 'log_who'") == [(1,)]
    assert _rows(fresh_db, f"SELECT statements_done FROM schemakit_migrations WHERE name = '{up.stem}'") == [(1,)]
