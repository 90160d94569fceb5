"""Sequences: what a drop takes with it (owned sequences), and bounds that change under a used sequence."""

from __future__ import annotations

import psycopg
import pytest

from schemakit.api import generate, migrate, rollback
from schemakit.api.pull import pull
from schemakit.api.push import apply_push, plan_push
from schemakit.diff.renames import Resolver
from schemakit.errors import SchemaError

from .helpers import assert_same, create_database, drop_database, project_for, run_sql, write_schema

# a pg_dump-style serial: a nullable column, so it stays an explicit sequence OWNED BY the column
OWNED = """
t = Table("t", integer("id").default(sql("nextval('t_id_seq'::regclass)")), text("v"))
seq = Sequence("t_id_seq", type="integer", owned_by="public.t.id")
"""
MOVED = """
t = Table("t", integer("id").default(sql("nextval('s2.t_id_seq'::regclass)")), text("v"), schema="s2")
seq = Sequence("t_id_seq", type="integer", owned_by="s2.t.id", schema="s2")
"""
COLUMN_OWNS = """
t = Table("t", integer("n").default(sql("nextval('t_n_seq'::regclass)")), text("v"))
seq = Sequence("t_n_seq", owned_by="public.t.n", start=10)
"""

OWNED_CASES = [
    pytest.param("", OWNED, id="create-table-with-owned-sequence-then-roll-back"),
    pytest.param(OWNED, "", id="drop-table-and-its-owned-sequence"),
    pytest.param(OWNED, MOVED, id="move-table-and-sequence-to-another-schema"),
    pytest.param(OWNED, 'seq = Sequence("t_id_seq", type="integer")\n', id="drop-table-keep-its-sequence"),
    pytest.param(COLUMN_OWNS, 't = Table("t", text("v"))\n', id="drop-column-and-its-owned-sequence"),
    pytest.param(COLUMN_OWNS, 't = Table("t", text("v"))\nseq = Sequence("t_n_seq", start=10)\n', id="drop-column-keep-its-sequence"),
]


@pytest.mark.parametrize("before, after", OWNED_CASES)
def test_owned_sequence_goes_with_what_owns_it(tmp_path, fresh_db, admin_params, before, after):
    p = project_for(tmp_path, fresh_db, before)
    generate(p, Resolver(no_renames=True))
    migrate(p)
    start = p.load_schema()
    write_schema(tmp_path / "schema.py", after)
    g = generate(p, Resolver(no_renames=True))
    up = g.sql[g.paths[0].name]
    assert "DROP SEQUENCE" not in up  # PostgreSQL drops an owned sequence with its owner
    migrate(p)
    assert_same(fresh_db, p.load_schema(), admin_params)
    assert generate(p, Resolver(no_renames=True)) is None
    rollback(p)  # the down file drops the table (taking the sequence) without a DROP SEQUENCE of its own
    assert_same(fresh_db, start, admin_params)


def test_push_drops_a_pulled_table_with_its_owned_sequence(tmp_path, fresh_db):
    run_sql(fresh_db, """
        CREATE SEQUENCE public.testtable2_id_seq AS integer;
        CREATE TABLE public.testtable2 (id integer DEFAULT nextval('public.testtable2_id_seq'::regclass), name text);
        ALTER SEQUENCE public.testtable2_id_seq OWNED BY public.testtable2.id;
        CREATE TABLE public.keep (id integer);
    """)
    module = pull(project_for(tmp_path, fresh_db))
    assert 'Sequence("testtable2_id_seq"' in module and 'owned_by="public.testtable2.id"' in module
    start = module.index("testtable2_id_seq = Sequence")
    module = module[:start] + module[module.index("\n\n", start):]
    start = module.index("testtable2 = Table(")
    module = module[:start] + module[module.index(")\n", start) + 2:]
    (tmp_path / "schema.py").write_text(module)
    p = _file_project(tmp_path, fresh_db)
    pushed = plan_push(p, Resolver(no_renames=True))
    assert [op.describe() for op in pushed.plan.ops] == ["drop table public.testtable2 and all its rows"]
    apply_push(p, pushed)
    assert not plan_push(p, Resolver(no_renames=True)).plan


def _file_project(tmp_path, params):
    from schemakit.api import Project

    return Project([str(tmp_path / "schema.py")], tmp_path / "migrations", params=lambda: params)


def _nextval(params, name="s") -> int:
    with psycopg.connect(**params, autocommit=True) as c:
        return c.execute(f"SELECT nextval('{name}')").fetchone()[0]


# (before, after, nextval calls before the change, the next value after it)
BOUNDS = [
    pytest.param("", "min_value=1000", 3, 1000, id="raise-min-past-the-current-value"),
    pytest.param("", "min_value=1000", 0, 1000, id="raise-min-unused"),
    pytest.param("", "max_value=100, min_value=-100, increment=-1", 5, 4, id="turn-descending-keeps-position"),
    pytest.param("max_value=10, cycle=True", "max_value=100000, cache=5", 4, 5, id="widen-max-keeps-position"),
    pytest.param("", "start=500", 3, 4, id="new-start-on-a-used-sequence-does-not-restart"),
    pytest.param("", "start=500", 0, 500, id="new-start-on-an-unused-sequence"),
    pytest.param("", "type='smallint', max_value=2", 7, 2, id="narrow-type-and-max-below-the-current-value"),
    pytest.param("min_value=10, max_value=20", "min_value=1000, max_value=2000, increment=10", 2, 1000, id="disjoint-ranges"),
]


@pytest.mark.parametrize("before, after, used, following", BOUNDS)
def test_sequence_options_change_in_one_step(tmp_path, fresh_db, admin_params, before, after, used, following):
    p = project_for(tmp_path, fresh_db, f's = Sequence("s", {before})\n')
    generate(p, Resolver(no_renames=True))
    migrate(p)
    start = p.load_schema()
    for _ in range(used):
        _nextval(fresh_db)
    write_schema(tmp_path / "schema.py", f's = Sequence("s", {after})\n')
    g = generate(p, Resolver(no_renames=True))
    assert "RESTART" not in g.sql[g.paths[0].name] and "RESTART" not in g.sql[g.paths[1].name]
    migrate(p)
    assert_same(fresh_db, p.load_schema(), admin_params)
    assert _nextval(fresh_db) == following
    rollback(p)
    assert_same(fresh_db, start, admin_params)
    _nextval(fresh_db)  # still usable


def test_sequence_options_are_checked_before_any_sql(tmp_path):
    for bad, message in [("min_value=10, max_value=5", "must be less than"), ("start=0", "must be between"),
                         ("increment=0", "zero"), ("type='smallint', max_value=40000", "within smallint")]:
        write_schema(tmp_path / "schema.py", f's = Sequence("s", {bad})\n')
        with pytest.raises(SchemaError, match=message):
            _file_project(tmp_path, {}).load_schema()


def test_default_options_are_canonical(tmp_path, admin_params):
    """Sequence(min_value=1000) and Sequence(start=1000, min_value=1000, cache=1) are the same sequence."""
    params = create_database(admin_params)
    try:
        write_schema(tmp_path / "schema.py", 's = Sequence("s", start=1000, min_value=1000, cache=1, increment=1)\n')
        p = _file_project(tmp_path, params)
        apply_push(p, plan_push(p, Resolver(no_renames=True)))
        write_schema(tmp_path / "schema.py", 's = Sequence("s", min_value=1000)\n')
        assert not plan_push(p, Resolver(no_renames=True)).plan
    finally:
        drop_database(admin_params, params)
