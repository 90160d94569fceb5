"""db_check, branch conflicts, unmanaged objects, and the rename question on a real terminal."""

from __future__ import annotations

import json
import os
import pty
import select
import shutil
import subprocess
import sys
import time

import pytest

from schemakit.api import generate, migrate, status
from schemakit.api.check import check
from schemakit.diff.renames import Resolver
from schemakit.errors import MigrationsDirError

from .conftest import ROOT
from .helpers import project_for, run_sql, write_schema
from .test_commands import run


def test_check_lints_pending_sql_by_named_rules(tmp_path, fresh_db):
    p = project_for(tmp_path, fresh_db, 't = Table("t", integer("a"), text("b"))\n')
    generate(p, Resolver())
    migrate(p)
    write_schema(tmp_path / "schema.py", 't = Table("t", bigint("a"), Index("t_a", "a"))\n')
    generate(p, Resolver(no_renames=True))
    report = check(p, database=True)
    assert report.errors == []
    rules = sorted({w.rule for w in report.warnings})
    assert rules == ["alter-column-type", "drop-column", "index-without-concurrently"]
    assert all(str(w).startswith("0001_") for w in report.warnings)


def test_check_command_exit_codes(tmp_path, fresh_db):
    (tmp_path / "userschema.py").write_text('from schemakit import *\nt = Table("t", integer("a"))\n')
    assert run("db_generate", tmp=tmp_path).returncode == 0
    assert run("db_migrate", tmp=tmp_path, params=fresh_db).returncode == 0
    (tmp_path / "userschema.py").write_text('from schemakit import *\nt = Table("t", integer("a"), Index("i", "a"))\n')
    r = run("db_check", tmp=tmp_path)
    assert r.returncode == 1 and "not yet generated" in r.stdout
    assert not (tmp_path / "never-started").exists(), "db_check without --database must not start a server"
    assert run("db_generate", tmp=tmp_path).returncode == 0
    r = run("db_check", tmp=tmp_path, params=fresh_db, extra_env={})
    assert r.returncode == 0 and "index-without-concurrently" in r.stdout
    assert run("db_check", "--strict", tmp=tmp_path).returncode == 1
    run_sql(fresh_db, "CREATE FUNCTION f() RETURNS int LANGUAGE sql AS 'SELECT 1'; ALTER TABLE t ADD COLUMN x int")
    r = run("db_check", "--database", "default", tmp=tmp_path, params=fresh_db)
    assert r.returncode == 1 and "drift: drop column public.t.x" in r.stdout and "unmanaged: function public.f()" in r.stdout


def test_branch_conflict_is_detected_and_refused(tmp_path, fresh_db):
    p = project_for(tmp_path, fresh_db, 't = Table("t", integer("a"))\n')
    generate(p, Resolver())
    write_schema(tmp_path / "schema.py", 't = Table("t", integer("a"), text("b"))\n')
    g = generate(p, Resolver(no_renames=True))
    # a second branch generated its own 0001 from the same parent
    meta = tmp_path / "migrations" / "meta"
    other = json.loads((meta / "0001_snapshot.json").read_text())
    other["id"] = "another-branch"
    (meta / "0002_snapshot.json").write_text(json.dumps(other))
    shutil.copy(g.paths[0], tmp_path / "migrations" / "0001_other_branch.sql")
    assert any("branch conflict" in e for e in check(p).errors)
    with pytest.raises(MigrationsDirError, match="branch conflict|not in the journal"):
        generate(p, Resolver())
    with pytest.raises(MigrationsDirError):
        migrate(p)


def test_status_lists_unmanaged_objects(tmp_path, fresh_db):
    p = project_for(tmp_path, fresh_db, 't = Table("t", integer("a"))\n')
    generate(p, Resolver())
    migrate(p)
    run_sql(fresh_db, "CREATE FUNCTION trg() RETURNS trigger LANGUAGE plpgsql AS 'BEGIN RETURN NEW; END';"
                      "CREATE TRIGGER t_trg BEFORE INSERT ON t FOR EACH ROW EXECUTE FUNCTION trg()")
    st = status(p)
    assert st.unmanaged == ["function public.trg()", "trigger t_trg on public.t"]
    assert st.drift == []


def _read_pty(fd: int, until: bytes | None, timeout: float = 60) -> bytes:
    """Read a pty until `until` appears (None: until the child closes it); fail after `timeout`, never hang."""
    out, deadline = b"", time.monotonic() + timeout
    while until is None or until not in out:
        left = deadline - time.monotonic()
        if left <= 0:
            pytest.fail(f"waited {timeout}s for {until or 'the end'!r} on the terminal; read {out!r}")
        if not select.select([fd], [], [], left)[0]:
            continue
        try:
            chunk = os.read(fd, 4096)
        except OSError:  # EIO: the child closed its end
            chunk = b""
        if not chunk:
            if until is None:
                return out
            pytest.fail(f"the terminal closed before {until!r}; read {out!r}")
        out += chunk
    return out


def test_rename_question_on_a_terminal(tmp_path):
    (tmp_path / "userschema.py").write_text('from schemakit import *\nt = Table("t", integer("a"))\n')
    assert run("db_generate", tmp=tmp_path).returncode == 0
    (tmp_path / "userschema.py").write_text('from schemakit import *\nt = Table("t", integer("b"))\n')
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SCHEMAKIT_TEST_PGDATA")}
    env.update({"SCHEMAKIT_MIGRATIONS_DIR": str(tmp_path / "migrations"), "SCHEMAKIT_SCHEMA": "userschema",
                "DJANGO_SETTINGS_MODULE": "project.settings", "PYTHONPATH": f"{ROOT}:{tmp_path}",
                "SCHEMAKIT_PGDATA": str(tmp_path / "never-started")})
    primary, secondary = pty.openpty()
    proc = subprocess.Popen([sys.executable, str(ROOT / "manage.py"), "db_generate"], stdin=secondary,
                            stdout=secondary, stderr=secondary, env=env, cwd=tmp_path)
    os.close(secondary)
    try:
        out = _read_pty(primary, until=b"[y/N]")
        os.write(primary, b"y\n")
        rest = _read_pty(primary, until=None)
        assert proc.wait(timeout=60) == 0
    finally:
        proc.kill()
        os.close(primary)
    assert b"Is column public.t.a renamed to public.t.b?" in out
    assert b'RENAME COLUMN "a" TO "b"' in rest


def test_terminal_read_gives_up_instead_of_hanging():
    primary, secondary = pty.openpty()
    proc = subprocess.Popen(["sleep", "30"], stdin=secondary, stdout=secondary, stderr=secondary)
    os.close(secondary)
    started = time.monotonic()
    try:
        with pytest.raises(pytest.fail.Exception, match=r"waited 0.5s for b'\[y/N\]'"):
            _read_pty(primary, until=b"[y/N]", timeout=0.5)
    finally:
        proc.kill()
        proc.wait()
        os.close(primary)
    assert time.monotonic() - started < 10


def test_check_reports_an_empty_custom_down_file(tmp_path, fresh_db):
    from schemakit.api import generate
    from schemakit.api.check import check
    from schemakit.diff.renames import Resolver

    from .helpers import project_for

    p = project_for(tmp_path, fresh_db, 't = Table("t", integer("a"))\n')
    generate(p, Resolver())
    g = generate(p, Resolver(), name="by_hand", custom=True)
    report = check(p)
    assert report.errors == ["0001_by_hand.down.sql has no statement: db_rollback refuses it without --force "
                             "(write the SQL that undoes 0001_by_hand)"]
    g.paths[1].write_text(g.paths[1].read_text() + "SELECT 1;\n")
    assert check(p).errors == []
