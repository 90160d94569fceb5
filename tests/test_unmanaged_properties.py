"""What PostgreSQL stores that the schema language cannot say is reported, and a push leaves it in place."""

from __future__ import annotations

import os
import secrets
import tempfile

import psycopg
import pytest

from schemakit.api import Project, baseline, generate, status
from schemakit.api.pull import pull_report
from schemakit.api.push import apply_push, plan_push
from schemakit.diff.renames import Resolver
from schemakit.pg.introspect import unmanaged

from .helpers import create_database, drop_database, run_sql
from .test_commands import run

PROPERTIES = """
CREATE TYPE mood AS ENUM ('a', 'b');
COMMENT ON TYPE mood IS 'a type';
CREATE TABLE t (
  id integer GENERATED ALWAYS AS IDENTITY (MINVALUE 5 CACHE 10) PRIMARY KEY,
  name text COLLATE "C", v text, w text, x integer, r int4range
) WITH (fillfactor = 70, autovacuum_enabled = false);
ALTER TABLE t SET (toast.autovacuum_enabled = false);
ALTER TABLE t ALTER v SET STATISTICS 500;
ALTER TABLE t ALTER w SET STORAGE EXTERNAL;
ALTER TABLE t ALTER w SET COMPRESSION pglz;
ALTER TABLE t ALTER x SET (n_distinct = 100);
ALTER TABLE t ENABLE ROW LEVEL SECURITY;
ALTER TABLE t REPLICA IDENTITY FULL;
CREATE INDEX t_v_idx ON t (v text_pattern_ops) WITH (fillfactor = 50);
CREATE INDEX t_w_idx ON t (w COLLATE "C");
ALTER TABLE t ADD CONSTRAINT t_x_check CHECK (x > 0);  -- NOT VALID is drift that db_push repairs
ALTER TABLE t ADD CONSTRAINT t_x_key UNIQUE (x) DEFERRABLE;
ALTER TABLE t ADD CONSTRAINT t_r_excl EXCLUDE USING gist (r WITH &&);
COMMENT ON CONSTRAINT t_x_check ON t IS 'a constraint';
CREATE TABLE ref (x integer, y integer, UNIQUE (x, y));
CREATE TABLE fk (x integer, y integer, FOREIGN KEY (x, y) REFERENCES ref (x, y) MATCH FULL);
CREATE UNLOGGED TABLE u (a integer);
CREATE TABLE m (a integer, b integer) PARTITION BY RANGE (a);
CREATE TABLE m1 PARTITION OF m FOR VALUES FROM (0) TO (10);
CREATE TABLE parent (a integer);
CREATE TABLE child (b integer) INHERITS (parent);
CREATE VIEW vv AS SELECT 1 AS a;
COMMENT ON VIEW vv IS 'a view';
COMMENT ON INDEX t_v_idx IS 'an index';
CREATE SEQUENCE s;
COMMENT ON SEQUENCE s IS 'a sequence';
CREATE MATERIALIZED VIEW mv WITH (fillfactor = 60) AS SELECT 1 AS a;
CREATE TABLE legacy_x (a integer) WITH (fillfactor = 10);
"""

REPORTED = [
    "storage parameters of table public.t: fillfactor=70, autovacuum_enabled=false",
    "storage parameters of the TOAST table of public.t: autovacuum_enabled=false",
    "collation of column public.t.name: C",
    "statistics target of column public.t.v: 500",
    "storage of column public.t.w: EXTERNAL",
    "compression of column public.t.w: pglz",
    "options of column public.t.x: n_distinct=100",
    "row level security of table public.t: ENABLE",
    "replica identity of table public.t: FULL",
    "options of identity column public.t.id: MINVALUE 5 MAXVALUE 2147483647 CACHE 10",
    "storage parameters of index public.t_v_idx: fillfactor=50",
    "operator class of index public.t_v_idx column 1: text_pattern_ops",
    "collation of index public.t_w_idx column 1: C",
    "deferrable constraint t_x_key on public.t: UNIQUE (x) DEFERRABLE",
    "exclusion constraint t_r_excl on public.t: EXCLUDE USING gist (r WITH &&)",
    "MATCH FULL foreign key fk_x_y_fkey on public.fk: FOREIGN KEY (x, y) REFERENCES public.ref(x, y) MATCH FULL",
    "unlogged table public.u: UNLOGGED",
    "partition key of table public.m: RANGE (a)",
    "partition public.m1 of public.m: FOR VALUES FROM (0) TO (10)",
    "inheritance of table public.child: INHERITS public.parent",
    "storage parameters of materialized view public.mv: fillfactor=60",
    "comment on view public.vv: a view",
    "comment on index public.t_v_idx: an index",
    "comment on sequence public.s: a sequence",
    "comment on constraint t_x_check on public.t: a constraint",
    "comment on type public.mood: a type",
]


@pytest.fixture
def tablespace(admin_params):
    """A tablespace in a fresh folder owned by the server's user (dropped afterwards)."""
    with psycopg.connect(**admin_params, autocommit=True) as c:
        owner = os.stat(c.execute("SHOW data_directory").fetchone()[0])
        folder = tempfile.mkdtemp(prefix="sk_ts_")
        os.chmod(folder, 0o700)
        if os.geteuid() == 0:
            os.chown(folder, owner.st_uid, owner.st_gid)
        name = f"sk_ts_{secrets.token_hex(4)}"
        c.execute(f"CREATE TABLESPACE {name} LOCATION '{folder}'")
    yield name
    with psycopg.connect(**admin_params, autocommit=True) as c:
        c.execute(f"DROP TABLESPACE IF EXISTS {name}")


def _project(path, params) -> Project:
    return Project([str(path)], path.parent / "migrations", params=lambda: params,
                   ignore=lambda s, t: t.startswith("legacy_") or (s, t) == ("public", "schemakit_migrations"))


def _left_alone(params) -> list[str]:
    with psycopg.connect(**params) as c:
        return unmanaged(c, lambda s, t: t.startswith("legacy_"))


def test_unsupported_properties_are_reported_and_survive_a_push(tmp_path, admin_params, tablespace):
    db = create_database(admin_params)
    try:
        run_sql(db, PROPERTIES + f"CREATE TABLE tsp (a integer) TABLESPACE {tablespace};"
                                 f"CREATE INDEX tsp_a_idx ON tsp (a) TABLESPACE {tablespace};")
        reported = REPORTED + [f"tablespace of table public.tsp: {tablespace}", f"tablespace of index public.tsp_a_idx: {tablespace}"]
        path = tmp_path / "pulled.py"
        module, left_out = pull_report(_project(path, db))
        assert sorted(set(reported) - set(left_out)) == []
        assert not any("legacy_x" in line for line in left_out)  # ignored tables are not ours to report
        for line in reported:
            assert f"#   {line}\n" in module
        path.write_text(module)
        p = _project(path, db)
        assert not plan_push(p, Resolver(no_renames=True)).plan  # pull -> push changes nothing
        generate(p, Resolver(no_renames=True))
        baseline(p, "0000")
        st = status(p)
        assert st.drift == [] and set(reported) <= set(st.unmanaged)
        before = _left_alone(db)
        # a push that changes the tables carrying the properties leaves every property in place
        path.write_text(module.replace('text("v"),', 'text("v"),\n    text("added"),', 1)
                        + "\nextra = Table('extra', integer('a'))\n")
        pushed = plan_push(p, Resolver(no_renames=True))
        assert [op.describe() for op in pushed.plan.ops] == ["create table public.extra", "add column public.t.added"]
        apply_push(p, pushed)
        assert _left_alone(db) == before
    finally:
        drop_database(admin_params, db)


def test_db_pull_command_reports_what_it_leaves_alone(tmp_path, admin_params):
    db = create_database(admin_params)
    try:
        run_sql(db, "CREATE TABLE t (a text COLLATE \"C\") WITH (fillfactor = 70)")
        r = run("db_pull", tmp=tmp_path, params=db)
        assert r.returncode == 0, r.stderr
        assert "Unmanaged (left alone, listed at the top of the module): 2" in r.stderr
        assert "#   collation of column public.t.a: C\n" in r.stdout
        assert "  storage parameters of table public.t: fillfactor=70" in r.stderr
    finally:
        drop_database(admin_params, db)
