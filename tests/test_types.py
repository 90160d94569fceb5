"""Type changes: which casts keep every value (table-driven), checked on PostgreSQL with edge values."""

from __future__ import annotations

import psycopg
import pytest

from schemakit.api import generate, migrate
from schemakit.diff.renames import Resolver
from schemakit.diff.types import is_narrowing
from schemakit.pg.ddl import cast_using
from schemakit.pg.quote import ident

from .helpers import project_for, write_schema

TS, TSTZ, T, TTZ = ("timestamp without time zone", "timestamp with time zone", "time without time zone",
                    "time with time zone")


def _p(type_sql: str, p: int) -> str:
    """`timestamp without time zone` with precision p: `timestamp(p) without time zone`."""
    head, _, tail = type_sql.partition(" ")
    return f"{head}({p}) {tail}".strip()


LOSSY = [
    ("integer", "real"), ("bigint", "real"), ("bigint", "double precision"), ("integer", "smallint"),
    ("bigint", "integer"), ("numeric", "double precision"), ("numeric", "real"), ("numeric(10,2)", "real"),
    ("double precision", "real"), ("double precision", "numeric"), ("real", "numeric"), ("real", "integer"),
    ("numeric", "numeric(10,2)"), ("numeric(10,2)", "numeric(9,2)"), ("numeric(10,2)", "numeric(10,1)"),
    ("numeric(10,2)", "numeric(11,1)"), ("numeric(10,2)", "integer"), ("numeric", "bigint"), ("numeric(5,0)", "smallint"),
    ("bigint", "numeric(18,0)"), ("integer", "numeric(10,1)"),
    (TS, _p(TS, 0)), (TS, _p(TS, 5)), (_p(TS, 3), _p(TS, 0)), (TSTZ, _p(TSTZ, 0)), (_p(TSTZ, 6), _p(TSTZ, 3)),
    (T, _p(T, 0)), (_p(TTZ, 4), _p(TTZ, 2)), ("interval", "interval(0)"), ("interval(3)", "interval(2)"),
    (TS, TSTZ), (TSTZ, TS), (TS, "date"), (TSTZ, "date"), ("date", TSTZ), ("date", TS), (T, TTZ), (TTZ, T),
    ("text", "character varying(10)"), ("character varying", "character varying(10)"),
    ("character varying(10)", "character varying(9)"), ("character(3)", "character(2)"), ("text", "character(5)"),
    ("character(3)", "text"), ("character(3)", "character varying(10)"), ("character varying(3)", "character(3)"),
    ("text", "integer"), ("text", "uuid"), ("text", "boolean"), ("text", "jsonb"), ("json", "jsonb"),
    ("integer", "character varying(5)"), ("integer", "boolean"), ("integer[]", "integer"), ("integer", "integer[]"),
    ("integer[]", "real[]"), ('"public"."mood"', "character varying(3)"), ("text", '"public"."mood"'), ("interval", "interval day to second"),
    ("bit(3)", "bit(4)"), ("money", "numeric"),
]
EXACT = [
    ("smallint", "integer"), ("integer", "bigint"), ("smallint", "bigint"), ("smallint", "real"),
    ("integer", "double precision"), ("integer", "numeric"), ("integer", "numeric(10,0)"), ("integer", "numeric(12,2)"),
    ("bigint", "numeric"), ("bigint", "numeric(19,0)"), ("real", "double precision"), ("numeric(10,2)", "numeric"),
    ("numeric(10,2)", "numeric(12,2)"), ("numeric(10,2)", "numeric(11,3)"), ("numeric(4,0)", "smallint"),
    ("numeric(9,0)", "integer"), ("numeric(18,0)", "bigint"),
    (_p(TS, 0), TS), (_p(TS, 3), _p(TS, 6)), (_p(TSTZ, 2), TSTZ), (_p(T, 0), T), (_p(TTZ, 1), TTZ), ("interval(2)", "interval"),
    ("text", "character varying"), ("character varying(10)", "text"),
    ("character varying(10)", "character varying(11)"), ("character varying(10)", "character varying"),
    ("character(2)", "character(3)"), ("integer", "text"), ("double precision", "text"), ("numeric", "text"),
    (TSTZ, "text"), ("uuid", "text"), ("jsonb", "json"), ("jsonb", "text"), ("integer[]", "bigint[]"),
    ('"public"."mood"', "text"), ('"public"."mood"', "character varying"), ('"public"."mood"[]', "text[]"),
]


@pytest.mark.parametrize("old, new", LOSSY, ids=[f"{o}->{n}" for o, n in LOSSY])
def test_lossy_cast(old, new):
    assert is_narrowing(old, new)


@pytest.mark.parametrize("old, new", EXACT, ids=[f"{o}->{n}" for o, n in EXACT])
def test_exact_cast(old, new):
    assert not is_narrowing(old, new)


def _strings(n: int | None) -> list[str]:
    return [s for s in ["", "a  ", "naïve", "☃☃☃☃☃", "it's", "x" * 300] if n is None or len(s) <= n]


def _numeric(p: int, s: int) -> list[str]:
    top = "9" * (p - s) + ("." + "9" * s if s else "")
    return [top, "-" + top, "0." + "0" * (s - 1) + "1" if s else "1", "0"]


WHEN = ["2024-03-10 02:30:00.123456", "2024-11-03 01:30:00.5", "4713-01-01 00:00:00 BC", "294276-12-30 23:59:59.999999",
        "infinity", "-infinity"]
# each type of the round trip and its edge values (text, cast to the type on insert)
EDGES: dict[str, list[str]] = {
    "smallint": ["-32768", "32767", "0"],
    "integer": ["-2147483648", "2147483647", "16777217"],
    "bigint": ["-9223372036854775808", "9223372036854775807", "9007199254740993"],
    "real": ["16777216", "3.4028235e+38", "1.4e-45", "-0.1", "NaN", "Infinity", "-Infinity"],
    "double precision": ["0.30000000000000004", "1.7976931348623157e+308", "5e-324", "NaN", "-Infinity"],
    "numeric": ["123456789012345678901234567890.123456789", "-0.000000001", "NaN", "Infinity"],
    **{f"numeric({p},{s})": _numeric(p, s) for p, s in [(10, 2), (12, 2), (12, 4), (5, 0), (9, 0), (4, 0), (18, 0)]},
    "text": _strings(None), "character varying": _strings(None),
    "character varying(5)": _strings(5), "character varying(20)": _strings(20),
    "character(3)": ["a", "ab", "abc"], "character(5)": ["a", "abcde"],
    "boolean": ["true", "false"],
    "date": ["2024-02-29", "4713-01-01 BC", "5874897-12-31", "infinity", "-infinity"],
    TS: WHEN, _p(TS, 0): WHEN, _p(TS, 3): WHEN,
    TSTZ: [w + ("" if "inf" in w else "+05:30") for w in WHEN], _p(TSTZ, 0): ["2024-03-10 02:30:00.5-04", "infinity"],
    T: ["23:59:59.999999", "00:00:00", "12:34:56.789012"], _p(T, 0): ["23:59:59.6", "00:00:00"],
    TTZ: ["23:59:59.999999+14", "00:00:00-12:30"], _p(TTZ, 2): ["12:00:00.129+01"],
    "interval": ["1 year 2 mons 3 days 04:05:06.789012", "-178000000 years", "00:00:00.000001"],
    "interval(0)": ["1 day 00:00:01.6", "-1 mons"],
    "uuid": ["00000000-0000-0000-0000-000000000000", "ffffffff-ffff-ffff-ffff-ffffffffffff"],
    "json": ['{"b": 1, "a": [1, 2], "b": 2}', "  [ ]  "],
    "jsonb": ['{"b": 1, "a": [1.000, 2]}', "null"],
    "inet": ["192.168.0.1/24", "::1", "10.0.0.1"],
}
SAFE_PAIRS = [(o, n) for o in EDGES for n in EDGES if o != n and not is_narrowing(o, n)]


def test_safe_pairs_round_trip_edge_values_on_postgresql(fresh_db):
    """Every pair the table calls exact keeps every edge value: old -> new -> old gives it back."""
    assert len(SAFE_PAIRS) > 100
    failures = []
    with psycopg.connect(**fresh_db, autocommit=True) as c:
        c.execute("SET TimeZone = 'America/New_York'")
        for n, (old, new) in enumerate(SAFE_PAIRS):
            table = f"p{n}"
            c.execute(f"CREATE TABLE {table} (id serial, v {old})")
            for value in EDGES[old]:
                c.execute(f"INSERT INTO {table} (v) VALUES (%s::text::{old})", (value,))
            before = c.execute(f"SELECT v::text FROM {table} ORDER BY id").fetchall()
            using = cast_using("v", old, new)
            try:
                c.execute(f"ALTER TABLE {table} ALTER COLUMN v SET DATA TYPE {new}" + (f" USING {using}" if using else ""))
                after = c.execute(f"SELECT v::{old}::text FROM {table} ORDER BY id").fetchall()
            except psycopg.Error as exc:
                failures.append(f"{old} -> {new}: {exc.diag.message_primary}")
                continue
            if after != before:
                failures.append(f"{old} -> {new}: {before} came back as {after}")
    assert failures == [], "\n".join(failures)


def test_lossy_change_is_warned_and_refused_by_push(tmp_path, fresh_db):
    from schemakit.api.push import plan_push

    p = project_for(tmp_path, fresh_db, 't = Table("t", integer("a"), timestamp("b"), numeric("c"))\n')
    generate(p, Resolver())
    migrate(p)
    with psycopg.connect(**fresh_db, autocommit=True) as c:
        c.execute("INSERT INTO t VALUES (16777217, '2024-01-01 10:00:00.75', 0.1)")
    write_schema(tmp_path / "schema.py", 't = Table("t", real("a"), timestamp("b", precision=0), double("c"))\n')
    pushed = plan_push(p, Resolver())
    assert [(x.op.column, x.rows) for x in pushed.losses] == [("a", 1), ("b", 1), ("c", 1)]
    g = generate(p, Resolver())
    assert sum("narrowing" in w for w in g.warnings) == 3, g.warnings


def test_push_refuses_a_lossy_change_without_force(tmp_path, fresh_db):
    from .test_commands import run

    (tmp_path / "userschema.py").write_text('from schemakit import *  # noqa\nt = Table("t", real("a"))\n')
    with psycopg.connect(**fresh_db, autocommit=True) as c:
        c.execute("CREATE TABLE t (a integer); INSERT INTO t VALUES (16777217)")
    r = run("db_push", tmp=tmp_path, params=fresh_db)
    assert r.returncode != 0 and "Traceback" not in r.stderr and "data loss" in (r.stdout + r.stderr)
    with psycopg.connect(**fresh_db) as c:
        assert c.execute("SELECT a, format_type(atttypid, -1) FROM t, pg_attribute WHERE attrelid = 't'::regclass "
                         "AND attname = 'a'").fetchone() == (16777217, "integer")
    assert ident("t")
