"""Fuzzing with hostile input: identifiers, labels, comments, defaults and checks drawn by Hypothesis go
through generate -> migrate -> pull -> push; snapshot and journal files are mutated under every command.

The only failure allowed is a one-line SchemaKitError raised before anything runs, and nothing outside
the test's own objects may change (roles, other databases, a canary database's rows).
Default run: a few examples, new ones each run (the seed is printed; SCHEMAKIT_FUZZ_SEED replays one).
SCHEMAKIT_LONG=1 (or -m slow) runs many (SCHEMAKIT_EXAMPLES, 200 by default).
"""

from __future__ import annotations

import json
import os
import random
import shutil
import tempfile
from pathlib import Path

import psycopg
import pytest
from hypothesis import HealthCheck, Phase, given, seed, settings
from hypothesis import strategies as st

from schemakit.api import Project, generate, migrate, plan_migrate, status
from schemakit.api.check import check
from schemakit.api.pull import pull
from schemakit.api.push import plan_push
from schemakit.diff.renames import Resolver
from schemakit.errors import SchemaError, SchemaKitError
from schemakit.history.folder import checksum
from schemakit.pg.quote import literal

from .helpers import HEADER, create_database, drop_database, live, structure

LONG = os.environ.get("SCHEMAKIT_LONG") == "1"
SEED = int(os.environ.get("SCHEMAKIT_FUZZ_SEED") or random.randrange(2**32))
EXAMPLES = int(os.environ.get("SCHEMAKIT_EXAMPLES", "200")) if LONG else 4
PHASES = [Phase.explicit, Phase.generate] + ([Phase.shrink] if LONG else [])  # shrinking a slow case takes minutes
FUZZ = settings(max_examples=EXAMPLES, deadline=None, suppress_health_check=list(HealthCheck), phases=PHASES)

NASTY = ['we"ird', "select", "MixedCase", "naïve", "a b", "x" * 63, "é" * 31 + "x", 'q"""', "it's", "back\\slash",
         "new\nline", "user", "ORDER", "__import__('os')", "Ω", "🙂", " lead", "ﬁ", "$$", "-- c", "/* c", ");"]
BROKEN_NAMES = ["x" * 64, "é" * 32, "a\x00b", ""]
CHARS = st.characters(codec="utf-8", exclude_characters="\x00")
IDENT = st.one_of(st.sampled_from(NASTY), st.text(CHARS, min_size=1, max_size=12))
STRING = st.one_of(st.sampled_from(NASTY + ["'); DROP TABLE canary; --", '"""', "\\", "\n", "%s", "{}"]),
                   st.text(CHARS, max_size=20))
HOSTILE_SQL = ["1); DROP TABLE canary; --", "true) OR (true", "1 -- c", "1; CREATE ROLE sk_fuzz SUPERUSER",
               "(SELECT 1", "$$x$$)", "1) NOT VALID, ADD COLUMN z int CHECK (true", "/* x", "1) + (2"]


def _q(*parts: str) -> str:
    """A quoted identifier that, unlike psycopg's, accepts a NUL (which schemakit must then refuse)."""
    return ".".join('"' + p.replace('"', '""') + '"' for p in parts)


@st.composite
def modules(draw) -> str:
    """Source of a schema module whose names, labels, comments and SQL are drawn; one in three holds
    one broken or hostile value (a bad name, label, default, check or string), the rest are valid."""
    schema = draw(st.one_of(st.just("public"), IDENT))
    names = draw(st.lists(IDENT, min_size=6, max_size=6, unique=True))
    labels = draw(st.lists(STRING.filter(bool), min_size=1, max_size=3, unique=True))
    strings = [draw(STRING) for _ in range(3)]
    check = f"{_q(names[2])} <> {literal(draw(STRING))}"
    default_int = draw(st.sampled_from(["1", "(2 + 3)", "-7", "length('x')"]))
    slot = draw(st.integers(0, 17))
    if slot < 6:
        names[slot] = draw(st.sampled_from(BROKEN_NAMES))
    elif slot == 6:
        labels[0] = draw(st.sampled_from(BROKEN_NAMES))
    elif slot == 7:
        check = draw(st.sampled_from(HOSTILE_SQL))
    elif slot == 8:
        default_int = draw(st.sampled_from(HOSTILE_SQL))
    elif slot == 9:
        strings[draw(st.integers(0, 2))] = "a\x00b"
    table, enum, c_text, c_enum, c_int, index = names
    r = repr
    return HEADER + (
        f"e = Enum({r(enum)}, {r(labels)}, schema={r(schema)})\n"
        f"t = Table(\n    {r(table)},\n    integer('id').primary_key(),\n"
        f"    text({r(c_text)}).default({r(strings[0])}).comment({r(strings[1])}).check(sql({r(check)})),\n"
        f"    e({r(c_enum)}).default({r(labels[0])}),\n"
        f"    integer({r(c_int)}).default(sql({r(default_int)})),\n"
        f"    Index({r(index)}, {r(c_text)}),\n"
        f"    schema={r(schema)}, comment={r(strings[2])},\n)\n"
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
        assert not p.migrations_dir.exists() or not list(p.migrations_dir.glob("*.sql")), "written before refusing"
        return
    migrate(p)
    assert status(p).drift == []
    pulled = tmp / "pulled.py"
    pulled.write_text(pull(p))
    back = Project([str(pulled)], tmp / "unused", params=lambda: params)
    assert not plan_push(back, Resolver(no_renames=True)).plan  # the pulled module matches the database
    assert not plan_push(p, Resolver(no_renames=True)).plan  # and so does the schema module


def _run_schema_case(admin: dict, source: str) -> None:
    print(f"replay with SCHEMAKIT_FUZZ_SEED={SEED}")  # shown with a failure
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


MUTATION_SCHEMA = """
mood = Enum("mood", ["sad", "ok"])
counter = Sequence("counter", start=5)
t = Table(
    "t",
    integer("id").primary_key(),
    varchar("name", 20).not_null().default("x").check(sql("length(name) > 0")),
    mood("m"),
    numeric("n", 10, 2),
    Index("t_lower", sql("lower(name)"), where=sql("id > 0")),
)
v = View("v", sql("SELECT id, name FROM t"), Index("v_id", "id"), materialized=True)
"""
VALUES = st.one_of(
    st.sampled_from(["integer); CREATE ROLE sk_mut SUPERUSER; CREATE TABLE z (y int", "text", "bigint; DROP TABLE t",
                     "SELECT 1; CREATE ROLE sk_mut SUPERUSER", "btree (id); CREATE ROLE sk_mut", '"public"."t"',
                     "0000_x", "../../secret", "", "a\x00b", "1) + (2", "pg_terminate_backend(pg_backend_pid())",
                     "SELECT lo_export(lo_from_bytea(0, 'x'), '/tmp/sk_mut')", "x" * 64, "sha256:00"]),
    st.text(max_size=8), st.integers(), st.booleans(), st.none(), st.floats(allow_nan=False),
    st.lists(st.text(max_size=4), max_size=3), st.dictionaries(st.text(max_size=3), st.integers(), max_size=2),
)


def _paths(node, prefix=()):
    """Every path (keys and indexes) into a JSON document."""
    yield prefix
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for k, v in items:
        yield from _paths(v, (*prefix, k))


@st.composite
def mutations(draw):
    """(file: snapshot or journal, how, path, new value, reseal the snapshot's checksum)."""
    target = draw(st.sampled_from(["meta/0000_snapshot.json", "meta/_journal.json"]))
    how = draw(st.sampled_from(["replace"] * 6 + ["delete", "garbage", "folder"]))
    return target, how, draw(st.randoms(use_true_random=False)), draw(VALUES), draw(st.booleans())


def _mutate(folder: Path, mutation) -> None:
    target, how, rng, value, reseal = mutation
    path = folder / target
    if how == "garbage":
        path.write_bytes(b"\xff\xfe{not json" if rng.random() < 0.5 else b"[]")
    elif how == "folder":
        path.unlink()
        path.mkdir()
    else:
        doc = json.loads(path.read_text())
        where = rng.choice([p for p in _paths(doc) if p])
        parent = doc
        for k in where[:-1]:
            parent = parent[k]
        if how == "delete" and isinstance(parent, dict):
            del parent[where[-1]]
        else:
            parent[where[-1]] = value
        path.write_text(json.dumps(doc))
    snapshot, journal = folder / "meta/0000_snapshot.json", folder / "meta/_journal.json"
    if reseal and target.endswith("snapshot.json") and snapshot.is_file() and journal.is_file():
        doc = json.loads(journal.read_text())
        doc["entries"][0]["snapshot"] = checksum(snapshot.read_bytes())
        journal.write_text(json.dumps(doc))


def _state(admin: dict, params: dict) -> tuple:
    with psycopg.connect(**params) as c:
        rows = c.execute("SELECT name, checksum FROM schemakit_migrations ORDER BY name").fetchall()
    return _outside(admin, params["dbname"]), structure(live(params)), rows


@pytest.fixture(scope="module")
def applied(canary, tmp_path_factory):
    """A database with one generated migration applied, and its pristine migrations folder."""
    tmp = tmp_path_factory.mktemp("mutations")
    params = create_database(canary)
    (tmp / "schema.py").write_text(HEADER + MUTATION_SCHEMA)
    p = Project([str(tmp / "schema.py")], tmp / "migrations", params=lambda: params)
    generate(p, Resolver(no_renames=True))
    migrate(p)
    yield canary, params, p
    drop_database(canary, params)


def _run_mutation_case(applied, mutation) -> None:
    print(f"replay with SCHEMAKIT_FUZZ_SEED={SEED}")  # shown with a failure
    admin, params, pristine = applied
    before = _state(admin, params)
    with tempfile.TemporaryDirectory() as d:
        folder = Path(d) / "migrations"
        shutil.copytree(pristine.migrations_dir, folder)
        _mutate(folder, mutation)
        p = Project(pristine.schema_modules, folder, params=lambda: params)
        # generate last: what it writes is a new, unreviewed migration, never run here
        for command in (status, lambda p: check(p, database=True), plan_migrate, migrate,
                        lambda p: generate(p, Resolver(no_renames=True))):
            try:
                command(p)
            except SchemaKitError as exc:
                _one_line(exc)
    assert _state(admin, params) == before


@pytest.mark.skipif(LONG, reason="the long run below replaces it")
@seed(SEED)
@FUZZ
@given(mutation=mutations())
def test_mutated_snapshots_and_journals_work_or_fail_in_one_line(applied, mutation):
    _run_mutation_case(applied, mutation)


@pytest.mark.slow
@pytest.mark.skipif(not LONG, reason="set SCHEMAKIT_LONG=1 for the long fuzz run")
@seed(SEED)
@FUZZ
@given(mutation=mutations())
def test_mutated_snapshots_and_journals_work_or_fail_in_one_line_long(applied, mutation):
    _run_mutation_case(applied, mutation)
