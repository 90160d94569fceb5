"""Golden SQL: every case's up/down text is exactly what db_generate writes, and it runs on PostgreSQL."""

from __future__ import annotations

from pathlib import Path

import psycopg
import pytest

from schemakit.api import Project
from schemakit.history import folder as md
from schemakit.history.runner import run_file
from schemakit.pg.introspect import introspect
from schemakit.pg.quote import ident
from schemakit.pg.scratch import create_statements

from .golden_cases import case_dirs, render, split_files, update_requested
from .helpers import _explain, structure

CASES = case_dirs()

# Cases whose committed SQL does not apply today: the golden text records current output, the apply test
# expects the failure until the differ is fixed (strict: a fix makes the mark fail, so it gets removed).
XFAIL: dict[str, str] = {
}

# Cases db_generate cannot render today (a traceback): no SQL is committed for them yet.
GENERATE_FAILS: dict[str, str] = {
}


def _params(xfail: dict[str, str], raises: type[BaseException] | None = None) -> list:
    def marks(name: str) -> list:
        if name in GENERATE_FAILS:
            return [pytest.mark.xfail(strict=True, raises=raises or KeyError, reason=GENERATE_FAILS[name])]
        return [pytest.mark.xfail(strict=True, reason=xfail[name])] if name in xfail else []

    return [pytest.param(c, id=c.name, marks=marks(c.name)) for c in CASES]


def _expected(case: Path, name: str) -> str:
    path = case / name
    return path.read_text() if path.exists() else ""


@pytest.mark.parametrize("case", _params({}))
def test_golden_text(case, request):
    got = render(case)
    files = {"up.sql": got.up, "down.sql": got.down, "warnings.txt": got.warnings}
    if update_requested(request.config):
        for name, text in files.items():
            if text or name != "warnings.txt":
                (case / name).write_text(text)
            elif (case / name).exists():
                (case / name).unlink()
    for name, text in files.items():
        assert text == _expected(case, name), f"{case.name}/{name} differs (rewrite with --update-golden, then read the diff)"


def _load(path: Path):
    return Project([str(path)], path.parent).load_schema()


def _run_files(conn: psycopg.Connection, text: str, what: str) -> None:
    for n, body in enumerate(split_files(text), 1):  # as db_migrate runs them: no-transaction ones statement by statement
        run_file(conn, f"{what} file {n}", body, md.is_transactional(body), lambda ms: None)


def _build(conn: psycopg.Connection, db) -> None:
    for s in create_statements(db):  # one at a time: CONCURRENTLY needs that
        conn.execute(s.encode())


def _reset(conn: psycopg.Connection) -> None:
    """Empty the database again: drop every schema but PostgreSQL's own, recreate public."""
    names = [r[0] for r in conn.execute(
        "SELECT nspname FROM pg_namespace WHERE nspname <> 'information_schema' AND nspname NOT LIKE 'pg\\_%'")]
    conn.execute("".join(f"DROP SCHEMA {ident(n)} CASCADE;" for n in names) + "CREATE SCHEMA public")


@pytest.mark.parametrize("case", _params(XFAIL, raises=FileNotFoundError))
def test_golden_applies_up_and_down(case, fresh_db):
    """Up from before.py gives after.py built from nothing; down gives the start again.
    One database and one connection per case: creating databases and backends is most of the time."""
    with psycopg.connect(**fresh_db, autocommit=True) as conn:
        _build(conn, _load(case / "after.py"))
        target = structure(introspect(conn))
        _reset(conn)
        _build(conn, _load(case / "before.py"))
        if (case / "data.sql").exists():  # rows for the change to carry: casts, swaps and checks meet values
            conn.execute((case / "data.sql").read_bytes())
        start = structure(introspect(conn))
        _run_files(conn, (case / "up.sql").read_text(), "up")
        migrated = structure(introspect(conn))
        assert migrated == target, _explain(migrated, target)
        if (case / "check.sql").exists():  # what must work after up (a new row takes the next id), then down
            conn.execute((case / "check.sql").read_bytes())
        _run_files(conn, (case / "down.sql").read_text(), "down")
        assert structure(introspect(conn)) == start, "down did not bring the database back to the start"
