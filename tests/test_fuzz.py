"""Fuzzing with hostile input: identifiers, labels, comments, defaults and checks drawn by Hypothesis go
through generate -> migrate -> pull -> push; snapshot and journal files are mutated under every command.

The only failure allowed is a one-line SchemaKitError raised before anything runs, and nothing outside
the test's own objects may change (roles, other databases, a canary database's rows).
Default run: a few examples, new ones each run (the seed is printed; SCHEMAKIT_FUZZ_SEED replays one).
SCHEMAKIT_LONG=1 (or -m slow) runs many (SCHEMAKIT_EXAMPLES, 200 by default).
"""

from __future__ import annotations

import os
import random
import tempfile
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from schemakit.api import Project, generate, migrate, status
from schemakit.diff.renames import Resolver
from schemakit.errors import SchemaError, SchemaKitError
from schemakit.live import plan_push, pull
from schemakit.pg.quote import literal

from .helpers import HEADER, create_database, drop_database

LONG = os.environ.get("SCHEMAKIT_LONG") == "1"
SEED = int(os.environ.get("SCHEMAKIT_FUZZ_SEED") or random.randrange(2**32))
print(f"test_fuzz: SCHEMAKIT_FUZZ_SEED={SEED}")
EXAMPLES = int(os.environ.get("SCHEMAKIT_EXAMPLES", "200")) if LONG else 4
PHASES = [Phase.explicit, Phase.generate] + ([Phase.shrink] if LONG else [])  # shrinking a slow case takes minutes
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), phases=PHASES)

NASTY = ['we"ird', "select", "MixedCase", "naïve", "a b", "x" * 63, "é" * 31 + "x", 'q"""', "it's", "back\\slash",
         "new\nline", "user", "ORDER", "__import__('os')", "Ω", "🙂", " lead", "ﬁ", "x" * 64, "a\x00b", "$$", "-- c"]
CHARS = st.characters(codec="utf-8")
IDENT = st.one_of(st.sampled_from(NASTY), st.text(CHARS, min_size=1, max_size=12))
STRING = st.one_of(st.sampled_from(NASTY + ["", "'); DROP TABLE canary; --", '"""', "\\", "\n"]), st.text(CHARS, max_size=20))
HOSTILE_SQL = ["1); DROP TABLE canary; --", "true) OR (true", "1 -- c", "1; CREATE ROLE sk_fuzz SUPERUSER",
               "(SELECT 1", "$$x$$)", "1) NOT VALID, ADD COLUMN z int CHECK (true", "/* x"]


def _q(*parts: str) -> str:
    """A quoted identifier that, unlike psycopg's, accepts a NUL (which schemakit must then refuse)."""
    return ".".join('"' + p.replace('"', '""') + '"' for p in parts)


def _exprs(column: str) -> st.SearchStrategy[str]:
    q = _q(column)
    valid = st.one_of(st.just(f"length({q}) < 1000"), STRING.filter(lambda s: "\x00" not in s).map(lambda s: f"{q} <> {literal(s)}"))
    return st.one_of(valid, st.sampled_from(HOSTILE_SQL))


@st.composite
def modules(draw) -> str:
    """Source of a schema module whose names, labels, comments and SQL are all drawn."""
    schema = draw(st.one_of(st.just("public"), IDENT))
    names = draw(st.lists(IDENT, min_size=6, max_size=6, unique=True))
    table, enum, c_text, c_enum, c_int, index = names
    labels = draw(st.lists(STRING, min_size=1, max_size=3, unique=True))
    check = draw(_exprs(c_text))
    default_int = draw(st.one_of(st.sampled_from(["1", "(2 + 3)", "-7"]), st.sampled_from(HOSTILE_SQL)))
    r = repr
    return HEADER + (
        f"e = Enum({r(enum)}, {r(labels)}, schema={r(schema)})\n"
        f"t = Table(\n    {r(table)},\n    integer('id').primary_key(),\n"
        f"    text({r(c_text)}).default({r(draw(STRING))}).comment({r(draw(STRING))}).check(sql({r(check)})),\n"
        f"    e({r(c_enum)}).default({r(labels[0])}),\n"
        f"    integer({r(c_int)}).default(sql({r(default_int)})),\n"
        f"    Index({r(index)}, {r(c_text)}),\n"
        f"    schema={r(schema)}, comment={r(draw(STRING))},\n)\n"
        f"v = View({r(table + '_v')}, sql({r(f'SELECT {_q(c_text)} FROM {_q(schema, table)}')}), schema={r(schema)})\n"
    )


def _outside(admin: dict, own: str) -> tuple:
    """Roles, databases (but the test's own) and the canary's rows: what must never change."""
    with psycopg.connect(**admin) as c:
        roles = sorted(r[0] for r in c.execute("SELECT rolname FROM pg_roles"))
        dbs = sorted(r[0] for r in c.execute("SELECT datname FROM pg_database") if r[0] != own)
    with psycopg.connect(**{**admin, "dbname": "sk_fuzz_canary"}) as c:
        rows = c.execute("SELECT count(*), string_agg(v, ',') FROM canary").fetchone()
    return roles, dbs, rows


@pytest.fixture(scope="module")
def canary(admin_params):
    with psycopg.connect(**admin_params, autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS sk_fuzz_canary WITH (FORCE)")
        c.execute("CREATE DATABASE sk_fuzz_canary TEMPLATE template0")
    with psycopg.connect(**{**admin_params, "dbname": "sk_fuzz_canary"}, autocommit=True) as c:
        c.execute("CREATE TABLE canary (v text); INSERT INTO canary VALUES ('alive'), ('well')")
    yield admin_params
    with psycopg.connect(**admin_params, autocommit=True) as c:
        c.execute("DROP DATABASE IF EXISTS sk_fuzz_canary WITH (FORCE)")


def _one_line(exc: SchemaKitError) -> None:
    assert len(str(exc).strip().splitlines()) == 1, f"not one line: {exc!r}"


def _round_trip(p: Project, tmp: Path, params: dict) -> None:
    """generate -> migrate -> pull -> push: a SchemaError before anything is written, or convergence."""
    try:
        generate(p, Resolver(no_renames=True))
    except SchemaError as exc:
        _one_line(exc)
        print("REFUSED", str(exc)[:150])
        assert not p.migrations_dir.exists() or not list(p.migrations_dir.glob("*.sql")), "written before refusing"
        return
    migrate(p)
    assert status(p).drift == []
    pulled = tmp / "pulled.py"
    pulled.write_text(pull(p))
    back = Project([str(pulled)], tmp / "unused", params=lambda: params)
    assert not plan_push(back, Resolver(no_renames=True)).plan  # the pulled module matches the database
    assert not plan_push(p, Resolver(no_renames=True)).plan  # and so does the schema module
    print("CONVERGED")


def _run_schema_case(admin: dict, source: str) -> None:
    params = create_database(admin)
    before = _outside(admin, params["dbname"])
    try:
        with tempfile.TemporaryDirectory() as d:
            tmp = Path(d)
            (tmp / "schema.py").write_text(source)
            _round_trip(Project([str(tmp / "schema.py")], tmp / "migrations", params=lambda: params), tmp, params)
        assert _outside(admin, params["dbname"]) == before
    finally:
        drop_database(admin, params)


@pytest.mark.skipif(LONG, reason="the long run below replaces it")
@seed(SEED)
@FUZZ
@given(source=modules())
def test_hostile_schemas_are_refused_or_converge(canary, source):
    _run_schema_case(canary, source)


@pytest.mark.slow
@pytest.mark.skipif(not LONG, reason="set SCHEMAKIT_LONG=1 for the long fuzz run")
@seed(SEED)
@FUZZ
@given(source=modules())
def test_hostile_schemas_are_refused_or_converge_long(canary, source):
    _run_schema_case(canary, source)
