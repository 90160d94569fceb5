"""The live database as a source of truth: peer fixtures, real schemas, hostile names, db_push safety."""

from __future__ import annotations

import psycopg
import pytest

from schemakit.api import Project, baseline, generate, status
from schemakit.api.pull import pull
from schemakit.api.push import apply_push, plan_push
from schemakit.diff.renames import Resolver
from schemakit.errors import StatementError

from .conftest import OWN_FIXTURES, peer_fixtures
from .helpers import create_database, drop_database, live, run_sql, structure
from .test_commands import run

MIGRA_CASES = ["dependencies2", "dependencies3", "dependencies4", "enumdefaults", "enumdeps", "excludeschema",
               "generated", "generated_added", "identitycols", "seq"]
MIGRA_PARTIAL = ["constraints", "dependencies", "everything", "singleschema", "singleschema_ext", "triggers3"]
PEER_REAL = ["pagila", "chinook", "guacamole"]
OWN_PAIRS = sorted(d.name for d in (OWN_FIXTURES / "pairs").iterdir())
OWN_REAL = sorted(d.name for d in (OWN_FIXTURES / "real").iterdir())
# "own/<case>": tests/fixtures (always there); "peer/<case>": ../shared/peer-fixtures (external, may be absent)
PAIRS = [f"own/{c}" for c in OWN_PAIRS] + [f"peer/{c}" for c in MIGRA_CASES + MIGRA_PARTIAL]
REAL = [f"own/{c}" for c in OWN_REAL] + [f"peer/{c}" for c in PEER_REAL]


def _sql(case: str, name: str) -> str:
    """The text of `name` (a.sql, b.sql) of a fixture case; peer cases skip when their folder is absent."""
    source, _, case = case.partition("/")
    if source == "own":
        return (OWN_FIXTURES / ("real" if case in OWN_REAL else "pairs") / case / name).read_text()
    peer = peer_fixtures()
    if case in PEER_REAL:
        return (peer / "real" / case / name).read_text()
    scoped = peer / "migra-scoped" / case
    return ((scoped if scoped.exists() else peer / "migra" / case) / name).read_text()


@pytest.fixture
def database(admin_params):
    made = []

    def make(sql_text: str = "") -> dict:
        params = create_database(admin_params)
        made.append(params)
        if sql_text:
            run_sql(params, sql_text)
        return params

    yield make
    for p in made:
        drop_database(admin_params, p)


def _project(tmp_path, params, schema_text: str | None = None) -> Project:
    f = tmp_path / "pulled.py"
    if schema_text is not None:
        f.write_text(schema_text)
    return Project([str(f)], tmp_path / "migrations", params=lambda: params)


def _push(p: Project, resolver: Resolver | None = None):
    pushed = plan_push(p, resolver or Resolver(no_renames=True))
    apply_push(p, pushed)
    return pushed


def _data(params) -> dict[str, str]:
    """A fingerprint of every row of every user table."""
    out = {}
    with psycopg.connect(**params) as c:
        tables = c.execute(
            "SELECT quote_ident(schemaname) || '.' || quote_ident(tablename) FROM pg_tables "
            "WHERE schemaname NOT IN ('pg_catalog', 'information_schema') AND tablename <> 'schemakit_migrations' ORDER BY 1"
        ).fetchall()
        for (t,) in tables:
            out[t] = c.execute(f"SELECT count(*), md5(coalesce(string_agg(x::text, '|' ORDER BY x::text), '')) FROM {t} x").fetchone()
    return out


@pytest.mark.parametrize("case", PAIRS)
def test_fixture_pair_converges_through_pull_and_push(tmp_path, database, case):
    a = database(_sql(case, "a.sql"))
    b = database(_sql(case, "b.sql"))
    module = pull(_project(tmp_path, b))
    p = _project(tmp_path, a, module)
    assert plan_push(p, Resolver(no_renames=True)).plan, "a and b should differ"
    _push(p)
    assert structure(live(a)) == structure(live(b))
    assert not plan_push(p, Resolver(no_renames=True)).plan, "a second push must be a no-op"


@pytest.mark.parametrize("case", PAIRS + REAL)
def test_pull_then_generate_and_baseline_has_no_drift(tmp_path, database, case):
    db = database(_sql(case, "a.sql" if case in REAL else "b.sql"))
    before = _data(db)
    p = _project(tmp_path, db, None)
    p = _project(tmp_path, db, pull(p))
    assert not plan_push(p, Resolver(no_renames=True)).plan  # pull -> push: no changes
    assert generate(p, Resolver(no_renames=True)) is not None
    assert generate(p, Resolver(no_renames=True)) is None  # pull -> generate: nothing more
    baseline(p, "0000")
    st = status(p)
    assert st.drift == [] and not st.problems
    assert _data(db) == before


@pytest.mark.parametrize("case", REAL)
def test_real_schema_rebuilt_from_pull_keeps_structure(tmp_path, database, case):
    src = database(_sql(case, "a.sql"))
    module = pull(_project(tmp_path, src))
    empty = database()
    _push(_project(tmp_path, empty, module))
    assert structure(live(empty)) == structure(live(src))


HOSTILE = """
CREATE SCHEMA "user";
CREATE TYPE "user"."Mood" AS ENUM ('we''ird', 'naïve', 'select');
CREATE TABLE "user"."order" ("order" integer PRIMARY KEY, "we""ird" text DEFAULT 'it''s', "MixedCase" "user"."Mood");
CREATE TABLE "select" ("naïve" text UNIQUE, "ref" integer REFERENCES "user"."order" ("order"));
CREATE TABLE "t_0123456789012345678901234567890123456789012345678901234567890" (
  "c_0123456789012345678901234567890123456789012345678901234567890" integer UNIQUE
);
CREATE INDEX "MixedCase_idx" ON "select" (lower("naïve") DESC NULLS LAST);
CREATE VIEW "user"."we""ird view" AS SELECT "order" AS "select" FROM "user"."order";
COMMENT ON TABLE "select" IS 'it''s a "table"';
"""


def test_hostile_identifiers_round_trip(tmp_path, database):
    db = database(HOSTILE)
    module = pull(_project(tmp_path, db))
    compile(module, "pulled.py", "exec")
    p = _project(tmp_path, db, module)
    assert not plan_push(p, Resolver(no_renames=True)).plan
    fresh = database()
    _push(_project(tmp_path, fresh, module))
    assert structure(live(fresh)) == structure(live(db))


def test_push_refuses_data_loss_without_terminal(tmp_path, database):
    db = database("CREATE TABLE t (id integer PRIMARY KEY, keep text, gone text);"
                  "INSERT INTO t VALUES (1, 'a', 'x'), (2, 'b', NULL), (3, 'c', 'z');")
    (tmp_path / "userschema.py").write_text('from schemakit import *\nt = Table("t", integer("id").primary_key(), text("keep"))\n')
    r = run("db_push", tmp=tmp_path, params=db)
    assert r.returncode != 0 and "Traceback" not in r.stderr
    assert "drop column public.t.gone and its data: 2 row(s)" in r.stderr  # warnings go to standard error
    assert "without a terminal" in r.stderr
    assert structure(live(db)).table("public", "t").column("gone") is not None
    r = run("db_push", "--force", tmp=tmp_path, params=db)
    assert r.returncode == 0, r.stderr
    assert live(db).table("public", "t").column("gone") is None
    assert run("db_push", tmp=tmp_path, params=db).stdout.strip() == "No changes"


def test_push_refuses_not_null_on_nulls_even_with_force(tmp_path, database):
    db = database("CREATE TABLE t (id integer, v text); INSERT INTO t VALUES (1, NULL), (2, NULL);")
    (tmp_path / "userschema.py").write_text('from schemakit import *\nt = Table("t", integer("id"), text("v").not_null())\n')
    r = run("db_push", "--force", tmp=tmp_path, params=db)
    assert r.returncode == 1 and "public.t.v: 2 row(s) hold NULL" in r.stderr


def test_failed_push_statement_leaves_database_as_it_was(tmp_path, database):
    db = database("CREATE TABLE t (id integer, v text); INSERT INTO t VALUES (1, 'dup'), (2, 'dup');")
    p = _project(tmp_path, db, 'from schemakit import *\nt = Table("t", integer("id"), text("v").unique(), text("new"))\n')
    before = live(db)
    with pytest.raises(StatementError, match=r"db_push: statement \d+ failed: could not create unique index"):
        _push(p)
    assert live(db) == before


def test_dry_run_changes_nothing_and_verbose_prints_sql(tmp_path, database):
    db = database("CREATE TABLE t (id integer);")
    (tmp_path / "userschema.py").write_text('from schemakit import *\nt = Table("t", integer("id"), text("v"))\n')
    r = run("db_push", "--dry-run", tmp=tmp_path, params=db)
    assert r.returncode == 0 and 'ALTER TABLE "public"."t" ADD COLUMN "v" text;' in r.stdout
    assert live(db).table("public", "t").column("v") is None
    r = run("db_push", "--strict", tmp=tmp_path, params=db)
    assert r.returncode == 1 and "--strict" in r.stderr


def test_ignored_and_django_tables_are_left_alone(tmp_path, database, settings):
    from schemakit.conf import ignore_filter

    db = database("CREATE TABLE legacy_orders (id int); CREATE SCHEMA audit; CREATE TABLE audit.log (id int);"
                  "CREATE TABLE auth_user (id int); CREATE TABLE kept (id int);")
    settings.SCHEMAKIT = {**settings.SCHEMAKIT, "IGNORE_TABLES": ["legacy_*", "audit.*"]}
    p = Project([str(tmp_path / "s.py")], tmp_path / "m", params=lambda: db, ignore=ignore_filter())
    (tmp_path / "s.py").write_text("")
    pushed = plan_push(p, Resolver(no_renames=True))
    assert [op.describe() for op in pushed.plan.ops] == ["drop table public.kept and all its rows"]


def test_db_pull_command_writes_module(tmp_path, database):
    db = database("CREATE TABLE t (id serial PRIMARY KEY, v text NOT NULL DEFAULT 'x');")
    out = tmp_path / "pulled_schema.py"
    r = run("db_pull", "--out", str(out), tmp=tmp_path, params=db)
    assert r.returncode == 0, r.stderr
    text = out.read_text()
    assert 'serial("id").primary_key()' in text and 'text("v").not_null().default("x")' in text
    assert not (tmp_path / "never-started").exists(), "db_pull must read DATABASE_URL, not start a server"


EVOLUTIONS = {
    # case: (text replacements on the pulled module, a query whose answer must survive); a renamed column
    # is read under its old name before the change (RENAMED_BEFORE), so a drop-and-add cannot pass
    "own/shop": ([("varchar('email', 200)", "varchar('email', 320)"),
                  ("text('full_name').not_null(),", "text('full_name').not_null(),\n    text('phone'),"),
                  ("['cart', 'paid', 'shipped', 'returned']", "['cart', 'paid', 'shipped', 'returned', 'refunded']")],
                 "SELECT string_agg(full_name || ':' || email || ':' || state, ',' ORDER BY order_id) "
                 "FROM customer JOIN shop_order USING (customer_id)"),
    "own/blog": ([("text('display_name'),", "text('shown_name').renamed_from('display_name'),"),
                  ("['draft', 'public', 'private']", "['draft', 'public', 'archived', 'private']")],
                 "SELECT string_agg(coalesce(shown_name, '-') || handle || visibility, ',' ORDER BY post_id) "
                 "FROM blog.author JOIN blog.post USING (author_no)"),
    "peer/chinook": ([("varchar('name', 120)", "varchar('name', 200)"),
                 ("varchar('first_name', 40).not_null()", "varchar('given_name', 40).not_null().renamed_from('first_name')")],
                "SELECT string_agg(given_name || ':' || last_name, ',' ORDER BY customer_id) FROM customer"),
    "peer/pagila": ([("text('first_name').not_null(),\n    text('last_name')", "text('first_name').not_null(),\n    text('nickname'),\n    text('last_name')")],
               "SELECT string_agg(first_name || last_name, ',' ORDER BY actor_id) FROM actor"),
    "peer/guacamole": ([("Enum('guacamole_object_permission_type', ['READ', 'UPDATE', 'DELETE', 'ADMINISTER'])",
                    "Enum('guacamole_object_permission_type', ['READ', 'UPDATE', 'DELETE', 'ADMINISTER', 'AUDIT'])")],
                  "SELECT string_agg(permission::text, ',' ORDER BY 1) FROM guacamole_connection_permission"),
}


RENAMED_BEFORE = {"own/blog": ("shown_name", "display_name"), "peer/chinook": ("given_name", "first_name")}


@pytest.mark.parametrize("case", REAL)
def test_real_schema_evolves_through_migrations_like_a_push(tmp_path, database, case):
    sql_text = _sql(case, "a.sql")
    migrated, pushed = database(sql_text), database(sql_text)
    module = pull(_project(tmp_path, migrated))
    p = _project(tmp_path, migrated, module)
    generate(p, Resolver(no_renames=True))
    baseline(p, "0000")
    replacements, survivor = EVOLUTIONS[case]
    for old, new in replacements:
        old, new = old.replace("'", '"'), new.replace("'", '"')  # db_pull writes double quotes, as ruff format does
        assert old in module, old
        module = module.replace(old, new)
    (tmp_path / "pulled.py").write_text(module)
    before = _data(migrated)
    new_name, old_name = RENAMED_BEFORE.get(case, ("", ""))
    with psycopg.connect(**migrated) as c:
        answer = c.execute(survivor.replace(new_name, old_name)).fetchone()
    assert generate(p, Resolver(no_renames=True)) is not None
    from schemakit.api import migrate

    migrate(p)
    _push(_project(tmp_path, pushed, module))
    assert structure(live(migrated)) == structure(live(pushed))
    with psycopg.connect(**migrated) as c1, psycopg.connect(**pushed) as c2:
        assert c1.execute(survivor).fetchone() == c2.execute(survivor).fetchone() == answer != (None,)
    after = _data(migrated)
    assert sum(n for n, _ in before.values()) == sum(n for n, _ in after.values())  # no row lost
    assert not status(p).problems


def test_push_checks_not_null_under_the_names_before_a_rename(tmp_path, database):
    """The NULL count runs before the plan: a renamed table and column are counted by their live names."""
    db = database("CREATE TABLE t (id integer, v text); INSERT INTO t VALUES (1, 'a'), (2, 'b');")
    p = _project(tmp_path, db, 'from schemakit import *\nu = Table("u", integer("id"), text("w").not_null())\n')
    pushed = _push(p, Resolver({"t": "u", "u.v": "u.w"}, no_renames=True))
    assert not pushed.doomed
    assert live(db).table("public", "u").column("w").not_null
    run_sql(db, "ALTER TABLE u ALTER COLUMN w DROP NOT NULL; INSERT INTO u VALUES (3, NULL)")
    p = _project(tmp_path, db, 'from schemakit import *\nv = Table("v", integer("id"), text("x").not_null())\n')
    pushed = plan_push(p, Resolver({"u": "v", "v.w": "v.x"}, no_renames=True))
    assert pushed.doomed == ["SET NOT NULL on public.u.w: 1 row(s) hold NULL"]
