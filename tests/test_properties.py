"""Property: for random schemas A and B, migrating A to B gives B, and the down migration gives A.

Default run: a few dozen examples. SCHEMAKIT_LONG=1 (or -m slow) runs the long one.
"""

from __future__ import annotations

import contextlib
import os

import psycopg
import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

import schemakit as sk
from schemakit.diff import diff
from schemakit.diff.plan import early_enum_values, split, transactional
from schemakit.diff.renames import Resolver, inverse
from schemakit.pg.canonical import canonicalize
from schemakit.pg.render import render_all
from schemakit.pg.scratch import build_and_introspect, create_statements
from schemakit.schema.compile import compile_objects

from .helpers import create_database, drop_database, live, structure

LONG = os.environ.get("SCHEMAKIT_LONG") == "1"

# each column name keeps to one family of types that PostgreSQL can cast between
FAMILIES = {
    "c_int": [lambda n, e: sk.integer(n), lambda n, e: sk.bigint(n), lambda n, e: sk.smallint(n), lambda n, e: sk.text(n)],
    "c_str": [lambda n, e: sk.text(n), lambda n, e: sk.varchar(n, 20), lambda n, e: sk.varchar(n, 50)],
    "c_bool": [lambda n, e: sk.boolean(n), lambda n, e: sk.text(n)],
    "c_num": [lambda n, e: sk.numeric(n, 10, 2), lambda n, e: sk.numeric(n, 12, 4), lambda n, e: sk.integer(n)],
    "c_enum": [lambda n, e: e(n), lambda n, e: sk.text(n)],
    "c_json": [lambda n, e: sk.jsonb(n), lambda n, e: sk.json(n)],
    "c_time": [lambda n, e: sk.timestamp(n, tz=True), lambda n, e: sk.timestamp(n), lambda n, e: sk.date(n)],
    "c_arr": [lambda n, e: sk.text(n).array(), lambda n, e: sk.integer(n).array()],
    "c_ident": [lambda n, e: sk.integer(n).identity(), lambda n, e: sk.integer(n).identity(always=False),
                lambda n, e: sk.bigint(n).identity(start=5, increment=2), lambda n, e: sk.integer(n)],
    "c_gen": [lambda n, e: sk.integer(n).generated(sk.sql("id * 2")), lambda n, e: sk.integer(n),
              lambda n, e: sk.bigint(n).generated(sk.sql("id + 1"))],
}


@st.composite
def schemas(draw):
    values = draw(st.lists(st.sampled_from(["a", "b", "c", "d", "e"]), min_size=1, max_size=4, unique=True))
    enum = sk.Enum("mood", values, schema=draw(st.sampled_from(["public", "app"])))
    tables = []
    for tname in draw(st.lists(st.sampled_from(["t1", "t2", "t3"]), min_size=0, max_size=3, unique=True)):
        cols = [draw(st.sampled_from([sk.serial("id").primary_key(), sk.integer("id").not_null().unique(),
                                      sk.integer("id").unique(), sk.integer("id").primary_key()]))]
        for cname in draw(st.lists(st.sampled_from(sorted(FAMILIES)), max_size=4, unique=True)):
            col = draw(st.sampled_from(FAMILIES[cname]))(cname, enum)
            if draw(st.booleans()):
                col = col.not_null()
            if col.is_array or col.generated_expr is not None or col.identity_spec is not None:
                pass
            elif col.kind == "enum" and draw(st.booleans()):
                col = col.default(draw(st.sampled_from(values)))
            elif (col.type == "text" or col.type.startswith("character varying")) and draw(st.booleans()):
                col = col.default("x")
            elif col.kind == "int" and draw(st.booleans()):
                col = col.default(draw(st.integers(0, 9)))
            if draw(st.integers(0, 4)) == 0 and col.kind in ("str", "int"):
                col = col.unique()
            if draw(st.integers(0, 5)) == 0:
                col = col.comment(draw(st.sampled_from(["note", "it's"])))
            cols.append(col)
        items = []
        names = [c.name for c in cols if c.name not in ("c_json", "c_arr")]  # no btree opclass for json
        if len(names) > 1 and draw(st.booleans()):
            first = draw(st.sampled_from(names[1:]))
            items.append(sk.Index(f"{tname}_idx", first + draw(st.sampled_from(["", " desc", " nulls first"])),
                                  unique=draw(st.booleans())))
        if draw(st.booleans()):
            items.append(sk.Check(f"{tname}_ck", sk.sql("id > 0")))
        if tables and draw(st.booleans()):
            items.append(sk.ForeignKey("id", tables[0], "id", on_delete=draw(st.sampled_from(["cascade", "restrict", None]))))
        tables.append(sk.Table(tname, *cols, *items, schema=draw(st.sampled_from(["public", "public", "s2"])),
                               comment=draw(st.sampled_from([None, None, "a table"]))))
    objects = [enum, *tables]
    if draw(st.booleans()):
        objects.append(sk.Sequence("counter", start=draw(st.sampled_from([None, 10])), increment=draw(st.sampled_from([None, 3])),
                                   cycle=draw(st.booleans())))
    if tables and draw(st.booleans()):
        t = tables[0]
        objects.append(sk.View("v", sk.sql(f'SELECT id FROM "{t.schema}"."{t.name}"'), materialized=draw(st.booleans())))
    return compile_objects(objects)


def _apply(params, statements, transactional=True):
    with psycopg.connect(**params, autocommit=True) as c, (c.transaction() if transactional else contextlib.nullcontext()):
        for s in statements:
            c.execute(s.encode())


def _migrate(params, plan, old, new, resolver):
    """Apply a plan the way its migrations would run: one step (transaction or not) at a time.

    Return each step's down operations, newest first, as db_generate writes them (one down file per step)."""
    downs = []
    for step_ops, before, after in split(plan, old, new):
        _apply(params, render_all(step_ops), transactional(step_ops))
        down = diff(after, before, inverse(resolver))
        downs.insert(0, (down.ops, transactional(down.ops) and not early_enum_values(down, before)))
    return downs


@pytest.mark.skipif(LONG, reason="the long run below replaces it")
# new examples each run (the seed is printed: tests/seeds.py); no shrinking in the default run, it can take minutes
@settings(max_examples=20, deadline=None, suppress_health_check=list(HealthCheck), print_blob=True,
          phases=[Phase.explicit, Phase.reuse, Phase.generate])
@given(a=schemas(), b=schemas())
def test_random_pairs_converge(admin_params, a, b):
    _check_pair(admin_params, a, b)


@pytest.mark.slow
@pytest.mark.skipif(not LONG, reason="set SCHEMAKIT_LONG=1 for the long property run")
@settings(max_examples=int(os.environ.get("SCHEMAKIT_EXAMPLES", "300")), deadline=None,
          suppress_health_check=list(HealthCheck), print_blob=True)
@given(a=schemas(), b=schemas())
def test_random_pairs_converge_long(admin_params, a, b):
    _check_pair(admin_params, a, b)


def _check_pair(admin, a, b):
    params = create_database(admin)
    try:
        _apply(params, create_statements(a))
        resolver = Resolver(no_renames=True)
        downs = _migrate(params, diff(a, b, resolver), a, b, resolver)
        assert structure(live(params)) == structure(build_and_introspect(admin, b))
        assert structure(canonicalize(admin, b)) == structure(build_and_introspect(admin, b))  # the fast path agrees
        for down, in_transaction in downs:  # every down file runs after its up file
            _apply(params, render_all(down), in_transaction)
        assert structure(live(params)) == structure(build_and_introspect(admin, a))
        _migrate(params, diff(a, b, resolver), a, b, resolver)  # again, then b -> a as a change of its own
        _migrate(params, diff(b, a, inverse(resolver)), b, a, inverse(resolver))
        assert structure(live(params)) == structure(build_and_introspect(admin, a))
    finally:
        drop_database(admin, params)
