"""View options (security_barrier, security_invoker, check_option) survive every workflow."""

from __future__ import annotations

import psycopg
import pytest

from schemakit.api import Project, baseline, generate, migrate, rollback, status
from schemakit.api.pull import pull
from schemakit.api.push import apply_push, plan_push
from schemakit.diff.renames import Resolver
from schemakit.errors import SchemaError

from .helpers import assert_same, create_database, drop_database, project_for, run_sql, write_schema

BASE = 'u = Table("u", integer("a"), boolean("visible"))\n'
PLAIN = BASE + 'v = View("v", sql("SELECT a FROM u WHERE visible"))\n'
SECURE = BASE + ('v = View("v", sql("SELECT a FROM u WHERE visible"), security_barrier=True, security_invoker=True,'
                 ' check_option="cascaded")\n')


def _options(params, name="v") -> list[str]:
    with psycopg.connect(**params) as c:
        row = c.execute("SELECT reloptions FROM pg_class WHERE oid = %s::regclass", (name,)).fetchone()
    return sorted(row[0] or [])


def test_view_options_through_generate_migrate_and_rollback(tmp_path, fresh_db, admin_params):
    p = project_for(tmp_path, fresh_db, SECURE)
    generate(p, Resolver(no_renames=True))
    migrate(p)
    assert _options(fresh_db) == ["check_option=cascaded", "security_barrier=true", "security_invoker=true"]
    assert_same(fresh_db, p.load_schema(), admin_params)
    assert status(p).drift == []
    write_schema(tmp_path / "schema.py", SECURE.replace("security_invoker=True, check_option=\"cascaded\"", 'check_option="local"'))
    g = generate(p, Resolver(no_renames=True))
    up = g.sql[g.paths[0].name]
    assert "DROP VIEW" not in up and 'ALTER VIEW "public"."v" RESET (security_invoker)' in up
    migrate(p)
    assert _options(fresh_db) == ["check_option=local", "security_barrier=true"]
    rollback(p)
    assert _options(fresh_db) == ["check_option=cascaded", "security_barrier=true", "security_invoker=true"]


def test_drift_notices_a_lost_view_option(tmp_path, fresh_db):
    p = project_for(tmp_path, fresh_db, SECURE)
    generate(p, Resolver(no_renames=True))
    migrate(p)
    run_sql(fresh_db, "ALTER VIEW v RESET (security_barrier)")
    assert status(p).drift == ["alter view public.v options: security_barrier off -> on"]


def test_pulled_view_options_survive_push(tmp_path, fresh_db, admin_params):
    run_sql(fresh_db, "CREATE TABLE u (a integer, visible boolean);"
                      "CREATE VIEW v WITH (security_barrier) AS SELECT a FROM u WHERE visible WITH LOCAL CHECK OPTION;"
                      "CREATE VIEW w WITH (security_invoker = on) AS SELECT a FROM u")
    module = pull(project_for(tmp_path, fresh_db))
    assert 'security_barrier=True, check_option="local")' in module and "security_invoker=True)" in module
    (tmp_path / "pulled.py").write_text(module)
    p = Project([str(tmp_path / "pulled.py")], tmp_path / "migrations", params=lambda: fresh_db)
    assert not plan_push(p, Resolver(no_renames=True)).plan  # pull -> push: nothing to do
    other = create_database(admin_params)
    try:
        q = Project([str(tmp_path / "pulled.py")], tmp_path / "other", params=lambda: other)
        apply_push(q, plan_push(q, Resolver(no_renames=True)))
        assert _options(other) == ["check_option=local", "security_barrier=true"]
        assert _options(other, "w") == ["security_invoker=true"]
        generate(p, Resolver(no_renames=True))
        baseline(p, "0000")
        assert status(p).drift == []
    finally:
        drop_database(admin_params, other)


def test_plain_view_becomes_secure_in_place(tmp_path, fresh_db):
    p = project_for(tmp_path, fresh_db, PLAIN)
    generate(p, Resolver(no_renames=True))
    migrate(p)
    write_schema(tmp_path / "schema.py", SECURE)
    pushed = plan_push(p, Resolver(no_renames=True))
    assert [op.describe() for op in pushed.plan.ops] == [
        "alter view public.v options: security_barrier off -> on, security_invoker off -> on, check_option off -> cascaded"]
    apply_push(p, pushed)
    assert _options(fresh_db) == ["check_option=cascaded", "security_barrier=true", "security_invoker=true"]


@pytest.mark.parametrize("body, message", [
    ('v = View("v", sql("SELECT 1"), check_option="sometimes")\n', "check_option is"),
    ('v = View("v", sql("SELECT 1"), materialized=True, security_barrier=True)\n', "plain views only"),
])
def test_bad_view_options_are_schema_errors(tmp_path, body, message):
    p = project_for(tmp_path, {}, body)
    with pytest.raises(SchemaError, match=message):
        p.load_schema()
