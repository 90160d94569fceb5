"""Production roles: push, drift and db_check --database without CREATEDB or superuser, with extension types."""

from __future__ import annotations

import secrets

import psycopg
import pytest

from schemakit.api import Project, generate, migrate, status
from schemakit.api.check import check
from schemakit.api.pull import pull
from schemakit.api.push import apply_push, plan_push
from schemakit.diff.renames import Resolver
from schemakit.errors import SchemaKitError

from .helpers import create_database, drop_database, live, run_sql, structure, write_schema

SCHEMA = """
citext_ext = Extension("citext")  # extensions are schema objects: a push drops what the module does not declare
hstore_ext = Extension("hstore")
app = Schema("app")
kind = Enum("kind", ["a", "b"], schema="app")
users = Table(
    "users",
    serial("id").primary_key(),
    column("email", "public.citext").not_null().unique(),
    column("attrs", "public.hstore").default(sql("''::hstore")),
    kind("kind").not_null().default("a"),
    text("name").check(sql("length(name) > 0")),
    Index("users_lower_name_idx", sql("lower(name)"), where=sql("name IS NOT NULL")),
)
notes = Table("notes", integer("id").primary_key(), integer("user_id").references(users.c.id), text("body"), schema="app")
named = View("named", sql("SELECT u.id, u.email, n.body FROM users u JOIN app.notes n ON n.user_id = u.id"))
"""
DRIFT = "ALTER TABLE users ADD COLUMN extra citext; ALTER TABLE app.notes ALTER COLUMN body SET DEFAULT 'x'"


@pytest.fixture
def roles(admin_params, monkeypatch):
    """A database with citext and hstore, and two roles: an owner without CREATEDB, a least-privilege migrator."""
    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", "off")  # every role builds for itself
    params = create_database(admin_params)
    tag = secrets.token_hex(3)
    owner, migrator = f"sk_owner_{tag}", f"sk_migrator_{tag}"
    run_sql(admin_params, f'CREATE ROLE "{owner}" LOGIN NOCREATEDB NOSUPERUSER; CREATE ROLE "{migrator}" LOGIN NOCREATEDB')
    run_sql(params, f"""CREATE EXTENSION citext; CREATE EXTENSION hstore;
        ALTER DATABASE "{params['dbname']}" OWNER TO "{owner}";
        ALTER SCHEMA public OWNER TO "{owner}";
        REVOKE CREATE ON DATABASE "{params['dbname']}" FROM PUBLIC;
        GRANT USAGE, CREATE ON SCHEMA public TO "{migrator}";""")
    yield params, {**params, "user": owner}, {**params, "user": migrator}
    drop_database(admin_params, params)
    run_sql(admin_params, f'DROP ROLE "{owner}"; DROP ROLE "{migrator}"')


def _project(tmp_path, params) -> Project:
    schema = write_schema(tmp_path / "schema.py", SCHEMA)
    return Project([str(schema)], tmp_path / "migrations", params=lambda: params)


def _project_with(tmp_path, params, body: str) -> Project:
    return Project([str(write_schema(tmp_path / "schema.py", body))], tmp_path / "migrations", params=lambda: params)


def _plan(p: Project) -> list[str]:
    return [op.describe() for op in plan_push(p, Resolver(no_renames=True)).plan.ops]


def test_owner_without_createdb_pushes_and_sees_drift_like_the_superuser(tmp_path, roles):
    superuser, owner, _ = roles
    as_owner, as_super = _project(tmp_path, owner), _project(tmp_path, superuser)
    assert _plan(as_owner) == _plan(as_super) != []
    apply_push(as_owner, plan_push(as_owner, Resolver(no_renames=True)))
    assert _plan(as_owner) == _plan(as_super) == []  # converged, with citext, hstore and an enum in another schema
    with psycopg.connect(**owner) as c:
        assert c.execute("SELECT tableowner FROM pg_tables WHERE tablename = 'users'").fetchone()[0] == owner["user"]
        assert c.execute("SELECT count(*) FROM pg_namespace WHERE nspname LIKE 'schemakit_tmp%'").fetchone()[0] == 0
    run_sql(owner, DRIFT)
    plan = _plan(as_owner)
    assert plan == _plan(as_super)
    assert {"drop column public.users.extra and its data", "drop default of app.notes.body"} <= set(plan)


def test_drift_and_check_database_as_owner_match_the_superuser(tmp_path, roles):
    superuser, owner, _ = roles
    as_owner, as_super = _project(tmp_path, owner), _project(tmp_path, superuser)
    generate(as_owner, Resolver(no_renames=True), name="init")
    migrate(as_owner)
    assert status(as_owner).drift == status(as_super).drift == []
    assert check(as_owner, database=True).errors == check(as_super, database=True).errors == []
    run_sql(owner, DRIFT)
    drift = status(as_owner).drift
    assert drift == status(as_super).drift
    assert {"drop column public.users.extra and its data", "drop default of app.notes.body"} <= set(drift)
    assert check(as_owner, database=True).errors == check(as_super, database=True).errors == [f"drift: {d}" for d in drift]
    assert structure(live(owner)).tables == structure(live(superuser)).tables


def test_least_privilege_migrator_migrates(tmp_path, roles):
    superuser, _, migrator = roles
    body = 't = Table("t", integer("id").primary_key(), column("email", "public.citext"))\n'
    p = Project([str(write_schema(tmp_path / "schema.py", body))], tmp_path / "migrations", params=lambda: migrator)
    generate(p, Resolver(no_renames=True), name="init")
    assert [s.name for s in migrate(p)] == ["0000_init"]
    with psycopg.connect(**superuser) as c:
        assert c.execute("SELECT tableowner FROM pg_tables WHERE tablename = 't'").fetchone()[0] == migrator["user"]
    write_schema(tmp_path / "schema.py", body + 'u = Table("u", integer("id"))\n')
    generate(p, Resolver(no_renames=True), name="more")
    assert [s.name for s in migrate(p)] == ["0001_more"]  # the tracking table exists: nothing needs CREATE on the database


def test_without_create_on_the_database_push_says_which_privilege(tmp_path, roles):
    _, _, migrator = roles
    with pytest.raises(SchemaKitError, match=r"lacks CREATE on database .*GRANT CREATE ON DATABASE"):
        plan_push(_project(tmp_path, migrator), Resolver(no_renames=True))


def test_pull_then_push_of_a_database_with_extension_types_is_a_no_op(tmp_path, roles):
    _, owner, _ = roles
    run_sql(owner, """CREATE TABLE people (id int PRIMARY KEY, email citext NOT NULL DEFAULT 'X'::citext,
                      attrs hstore CHECK (attrs ? 'k'), tags citext[]);
                      CREATE VIEW people_v AS SELECT id, email FROM public.people WHERE attrs -> 'k' = 'v'""")
    p = Project([str(tmp_path / "pulled.py")], tmp_path / "migrations", params=lambda: owner)
    (tmp_path / "pulled.py").write_text(pull(p))
    assert '"public"."citext"' in (tmp_path / "pulled.py").read_text()
    assert _plan(p) == []


def test_the_build_in_the_target_agrees_with_a_scratch_database_on_hostile_schema_names(tmp_path, fresh_db, monkeypatch):
    from schemakit.pg.canonical import canonicalize
    from schemakit.pg.scratch import build_and_introspect

    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", "off")
    body = """
    s = Schema('We"ird')
    k = Enum("Kind", ["a", "b"], schema='We"ird')
    t = Table("select", integer("id").primary_key(), k("k").default("a"), text("n").check(sql("n <> ''")), schema='We"ird')
    u = Table("public", integer("id"), integer("public").default(sql("1 + 1")))
    v = View("v", sql('SELECT t.id, u.public FROM "We""ird"."select" t JOIN public.public u ON u.id = t.id'), schema='We"ird')
    """
    db = _project_with(tmp_path, fresh_db, body).load_schema()
    run_sql(fresh_db, "CREATE TABLE public.unrelated (id int)")  # the target's own objects stay out of it
    assert structure(canonicalize(fresh_db, db)) == structure(build_and_introspect(fresh_db, db))


def test_requalify_counts_characters_not_bytes():
    """pglast's scanner gives character offsets: names before and at the end in multibyte UTF-8 stay whole."""
    from schemakit.pg.inplace import requalify

    text = 'SELECT "é" FROM "we""ird"."úf\U00107927" JOIN "é".t ON true'
    got = requalify(text, {'we"ird': "tmp1", "é": "tmp2"}, {('we"ird', "úf\U00107927"), ("é", "t")})
    assert got == 'SELECT "é" FROM "tmp1"."úf\U00107927" JOIN "tmp2".t ON true'


def test_migrator_with_insert_and_select_on_the_tracking_table(tmp_path, roles):
    """Transactional files need INSERT only; a no-transaction file's progress needs UPDATE: one line, before it runs."""
    from schemakit.errors import TrackingTableError
    from schemakit.history.tracker import Tracker

    from .test_migrate import _custom

    _, owner, migrator = roles
    with psycopg.connect(**owner, autocommit=True) as c:
        Tracker(c, "public", "schemakit_migrations").ensure()  # the owner makes the table once
        c.execute(f'GRANT SELECT, INSERT ON schemakit_migrations TO "{migrator["user"]}"')
    p = _project_with(tmp_path, migrator, 't = Table("t", integer("id").primary_key(), text("a"))\n')
    generate(p, Resolver(no_renames=True), name="init")
    assert [s.name for s in migrate(p)] == ["0000_init"]
    stem = _custom(p, "-- schemakit:no-transaction\nCREATE INDEX CONCURRENTLY t_a ON t (a);\n", "idx")
    with pytest.raises(TrackingTableError) as info:
        migrate(p)
    assert str(info.value) == (f"{stem}.sql is a no-transaction file: its progress is recorded statement by statement, "
                               f"which needs UPDATE on the tracking table public.schemakit_migrations and "
                               f"{migrator['user']} lacks it; nothing ran "
                               f'(GRANT UPDATE ON "public"."schemakit_migrations" TO "{migrator["user"]}")')
    with psycopg.connect(**owner, autocommit=True) as c:
        assert c.execute("SELECT to_regclass('t_a'), count(*) FROM schemakit_migrations").fetchone() == (None, 1)
        c.execute(f'GRANT UPDATE ON schemakit_migrations TO "{migrator["user"]}"')
    assert [s.name for s in migrate(p)] == [stem]
    assert [m.state for m in status(p, check_drift=False).migrations] == ["applied", "applied"]


def test_schema_guard_of_a_migrator_without_create_is_skipped_with_a_line_or_fails_when_asked(tmp_path, roles):
    """The guard is on by default; a role that cannot build the canonical form says so and migrates
    (db_migrate), or is refused before anything runs (db_migrate --guard)."""
    from schemakit.errors import CannotCanonicalise

    _, _, migrator = roles
    name = f"t_{secrets.token_hex(4)}"  # a schema no canonical-form cache entry knows
    body = f'{name} = Table("{name}", integer("id").primary_key(), text("a"))\n'
    p = _project_with(tmp_path, migrator, body)
    generate(p, Resolver(no_renames=True), name="init")
    migrate(p)
    write_schema(tmp_path / "schema.py", body + f'{name}_b = Table("{name}_b", integer("id"))\n')
    generate(p, Resolver(no_renames=True), name="more")
    with pytest.raises(CannotCanonicalise, match=r"lacks CREATE on database .*GRANT CREATE ON DATABASE"):
        migrate(p, allow_drift=False)
    assert [a.name for a in status(p, check_drift=False).migrations if a.state == "applied"] == ["0000_init"]
    lines: list[str] = []
    assert [s.name for s in migrate(p, allow_drift=False, guard_may_skip=True, notify=lines.append)] == ["0001_more"]
    skipped = [line for line in lines if "schema guard skipped" in line]
    assert len(skipped) == 1 and "GRANT CREATE ON DATABASE" in skipped[0], lines  # said once, not again after the last
