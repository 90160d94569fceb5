"""Many databases and tenant schemas in one run (issue 15): db_migrate/db_status/db_rollback as a user runs
them, on two real databases with tenant schemas; failures, resume, concurrent runs and Ctrl-C."""

from __future__ import annotations

import json
import os
import re
import signal
import subprocess
import sys
import time

import psycopg
import pytest

from schemakit.api import Project, generate
from schemakit.diff.renames import Resolver
from schemakit.history.parts import PER_DATABASE, TENANT_MARKER
from schemakit.pg.quote import ident, literal

from .conftest import ROOT
from .helpers import create_database, drop_database, uri, write_schema

SCHEMA = '''
plans = Table("plans", bigint("id").primary_key(), text("name"), schema="common")
users = Table("users", bigint("id").primary_key(), text("email"), bigint("plan_id").references("common.plans.id"))
'''
RICH = 'mood = Enum("mood", ["ok", "sad"])\n' + \
    SCHEMA.replace('text("email"),', 'mood("feeling"), text("email"), Index("users_email", "email"),') + \
    'active = View("active", sql("SELECT id FROM public.users WHERE feeling = \'ok\'"))\n'
NICK = SCHEMA.replace('text("email"),', 'text("email"), text("nick"), Index("users_nick", "nick"),')
# each tenant makes a table named after the schema its search_path points at: a leak shows as a foreign name
SEEN = "DO $$ BEGIN EXECUTE format('CREATE TABLE %I (id int)', 'seen_' || current_schema()); END $$;\n"
SETTINGS = '''
import os
from project.settings import *  # noqa: F403
DATABASES = {"default": database_from_url(os.environ["DB_A"]), "b": database_from_url(os.environ["DB_B"])}
SCHEMAKIT = {**SCHEMAKIT, "DATABASES": ["default", "b"],
             "TENANTS": r"SELECT nspname FROM pg_namespace WHERE nspname LIKE 't\\_%' ORDER BY 1"}
'''


@pytest.fixture
def fleet(admin_params, tmp_path):
    """Two databases (25 tenant schemas each) and a folder of three migrations: init, a column and an
    index, a custom one that runs in each tenant."""
    dbs = [create_database(admin_params) for _ in range(2)]
    for params in dbs:
        sql_run(params, "".join(f"CREATE SCHEMA t_{i:02};" for i in range(25)))
    (tmp_path / "tenantsettings.py").write_text(SETTINGS)
    p = Project([str(write_schema(tmp_path / "schema.py", SCHEMA))], tmp_path / "migrations", part=PER_DATABASE)
    generate(p, Resolver(), name="init")
    write_schema(tmp_path / "schema.py", NICK)
    generate(p, Resolver(), name="nick")
    up, down = generate(p, Resolver(), name="seen", custom=True).paths[:2]
    up.write_text(up.read_text() + SEEN)
    down.write_text(down.read_text() + SEEN.replace("CREATE TABLE %I (id int)", "DROP TABLE %I"))
    yield tmp_path, dbs
    for params in dbs:
        drop_database(admin_params, params)


def sql_run(params, text: str) -> None:
    with psycopg.connect(**params, autocommit=True) as c:
        c.execute(text.encode())


def rows(params, query: str) -> list[tuple]:
    with psycopg.connect(**params, autocommit=True) as c:
        return c.execute(query.encode()).fetchall()


def sessions(params) -> int:
    """Sessions the server has seen on this database (counted when each one ends)."""
    return rows(params, "SELECT sessions FROM pg_stat_database WHERE datname = current_database()")[0][0]


def env_for(tmp, dbs) -> dict[str, str]:
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SCHEMAKIT_TEST_PGDATA")}
    env.update({"DJANGO_SETTINGS_MODULE": "tenantsettings", "PYTHONPATH": f"{ROOT}:{tmp}", "DB_A": uri(dbs[0]),
                "DB_B": uri(dbs[1]), "SCHEMAKIT_SCHEMA": str(tmp / "schema.py"),
                "SCHEMAKIT_MIGRATIONS_DIR": str(tmp / "migrations")})
    return env


def manage(tmp, dbs, *args: str) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "manage.py"), *args], env=env_for(tmp, dbs), cwd=tmp,
                          capture_output=True, text=True, timeout=180)


def popen(tmp, dbs, *args: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, str(ROOT / "manage.py"), *args], env=env_for(tmp, dbs), cwd=tmp,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)


def recorded(params) -> dict[str, list[str]]:
    """{tenant schema: its tracking table's names} (schemas without a tracking table are absent)."""
    found = rows(params, "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
                         " WHERE c.relname = 'schemakit_migrations' AND n.nspname LIKE 't\\_%'")
    out = {}
    for (schema,) in found:
        out[schema] = [r[0] for r in rows(params, f'SELECT name FROM "{schema}".schemakit_migrations ORDER BY id')]
    return out


def tables(params) -> dict[str, set[str]]:
    out: dict[str, set[str]] = {}
    for schema, name in rows(params, "SELECT schemaname, tablename FROM pg_tables WHERE schemaname NOT IN "
                                     "('pg_catalog', 'information_schema')"):
        out.setdefault(schema, set()).add(name)
    return out


NAMES = ["0000_init", "0001_nick", "0002_seen"]


def test_fifty_tenants_in_two_databases_jobs_4(fleet):
    tmp, dbs = fleet
    before = sessions(dbs[0])
    r = manage(tmp, dbs, "db_migrate", "--all-databases", "--tenants", "--jobs", "4")
    assert r.returncode == 0, r.stderr
    assert sessions(dbs[0]) - before > 25  # the count sees every connection (each tenant's own)
    assert "52 target(s): 52 done, 0 failed, 0 skipped, 0 nothing to do" in r.stdout, r.stdout
    for params in dbs:
        assert recorded(params) == {f"t_{i:02}": NAMES for i in range(25)}  # each exactly once, in order
        found = tables(params)
        for i in range(25):  # no search_path leak: each tenant has its own tables and only its own marker
            assert found[f"t_{i:02}"] == {"users", "schemakit_migrations", f"seen_t_{i:02}"}
        assert found["common"] == {"plans"}  # shared tables once, in their own schema
        assert "users" not in found.get("public", set())
        assert rows(params, "SELECT name FROM public.schemakit_migrations ORDER BY id") == [(n,) for n in NAMES]
        cols = rows(params, "SELECT count(*) FROM pg_attribute WHERE attrelid = 't_07.users'::regclass AND attname = 'nick'")
        assert cols == [(1,)] and rows(params, "SELECT to_regclass('t_07.users_nick') IS NOT NULL") == [(True,)]
    before = sessions(dbs[0])
    again = manage(tmp, dbs, "db_migrate", "--all-databases", "--tenants", "--jobs", "4")
    assert again.returncode == 0 and "0 done, 0 failed, 0 skipped, 52 nothing to do" in again.stdout, again.stdout
    # nothing to do costs no connection per tenant: the control connection and the shared pass's (+ our count's)
    assert sessions(dbs[0]) - before <= 3
    before = sessions(dbs[0])
    status = manage(tmp, dbs, "db_status", "--all-databases", "--tenants", "--format", "json", "--check")
    assert sessions(dbs[0]) - before <= 2  # one connection for 25 tenants (+ our count's)
    data = json.loads(status.stdout)
    assert status.returncode == 0 and data["ok"] and len(data["targets"]) == 52


def test_failure_canary_continue_and_rerun_of_the_failed_tenant(fleet):
    tmp, dbs = fleet
    sql_run(dbs[0], "CREATE TABLE t_01.users (conflict int)")  # a conflicting object in one tenant
    r = manage(tmp, dbs, "db_migrate", "--tenants", "--canary", "3", "--jobs", "2")
    assert r.returncode == 1
    assert "default/t_01: FAILED" in r.stdout and 'relation "users" already exists [42P07]' in r.stdout
    touched = recorded(dbs[0])
    assert set(touched) <= {"t_00", "t_01", "t_02"} and touched.get("t_01", []) == []  # stopped after the canary
    assert re.search(r"1 failed, 2[23] skipped", r.stderr), r.stderr  # t_02 may have started beside t_01
    r = manage(tmp, dbs, "db_migrate", "--tenants", "--continue-on-error", "--jobs", "4")
    assert r.returncode == 1 and "1 failed" in r.stderr
    done = recorded(dbs[0])
    assert all(done[f"t_{i:02}"] == NAMES for i in range(25) if i != 1) and done.get("t_01", []) == []
    status = manage(tmp, dbs, "db_status", "--tenants", "--format", "json")
    failed = [t for t in json.loads(status.stdout)["targets"] if t["state"] != "up to date"]
    assert [(t["schema"], t["state"], t["pending"]) for t in failed] == [("t_01", "failed", NAMES)]
    assert "0000_init.sql" in failed[0]["error"] and "42P07" in failed[0]["error"]
    sql_run(dbs[0], "DROP TABLE t_01.users")
    r = manage(tmp, dbs, "db_migrate", "--tenants", "--only-failed")
    assert r.returncode == 0, r.stderr
    assert [ln.split(":")[0].strip() for ln in r.stdout.splitlines() if "applied" in ln] == ["default/t_01"]
    assert recorded(dbs[0])["t_01"] == NAMES
    assert "database b" not in r.stdout and recorded(dbs[1]) == {}  # one --database (the default) only


def test_two_runs_started_together_apply_everything_once(fleet):
    tmp, dbs = fleet
    runs = [popen(tmp, dbs, "db_migrate", "--all-databases", "--tenants", "--jobs", "2") for _ in range(2)]
    outs = [p.communicate(timeout=180) for p in runs]
    assert [p.returncode for p in runs] == [0, 0], outs
    applied = [ln for out, _ in outs for ln in out.splitlines() if ": applied" in ln]
    assert len(applied) == 52  # each target applied by exactly one of the two runs
    for params in dbs:
        assert recorded(params) == {f"t_{i:02}": NAMES for i in range(25)}


def test_ctrl_c_leaves_each_target_migrated_or_untouched(fleet):
    tmp, dbs = fleet
    up = tmp / "migrations" / "0002_seen.sql"
    up.write_text(up.read_text() + "--> statement-breakpoint\nSELECT pg_sleep(0.3);\n")
    p = popen(tmp, dbs, "db_migrate", "--all-databases", "--tenants", "--jobs", "2")
    deadline = time.monotonic() + 60
    while time.monotonic() < deadline and sum(len(v) for v in recorded(dbs[0]).values()) < 6:
        time.sleep(0.05)
    p.send_signal(signal.SIGINT)
    out, err = p.communicate(timeout=60)
    assert p.returncode == 130, (out, err)
    assert "interrupted" in err and "Traceback" not in err
    states = []
    for params in dbs:
        done = recorded(params)
        found = tables(params)
        for i in range(25):
            schema = f"t_{i:02}"
            names = done.get(schema, [])
            assert names in ([], NAMES), (schema, names)
            assert found.get(schema, set()) - {"schemakit_migrations"} == ({"users", f"seen_{schema}"} if names else set())
            states.append(bool(names))
    assert any(states) and not all(states)


def test_generated_file_has_a_shared_part_and_an_unqualified_tenant_part(fleet):
    tmp, _ = fleet
    text = (tmp / "migrations" / "0000_init.sql").read_text()
    shared, tenant = text.split(TENANT_MARKER)
    assert 'CREATE TABLE "common"."plans"' in shared and "users" not in shared
    assert 'CREATE TABLE "users"' in tenant and 'REFERENCES "common"."plans"' in tenant and '"public"' not in tenant


def test_unknown_tenant_and_bad_jobs_are_one_line_errors(fleet):
    tmp, dbs = fleet
    r = manage(tmp, dbs, "db_migrate", "--tenant", "nope")
    assert r.returncode != 0 and "--tenant nope: not a tenant" in r.stderr and "Traceback" not in r.stderr
    r = manage(tmp, dbs, "db_migrate", "--tenants", "--jobs", "100000")
    assert r.returncode != 0 and "--jobs 100000 needs up to 200000 connections" in r.stderr
    assert recorded(dbs[0]) == {}


def test_rollback_runs_tenants_then_the_shared_pass_and_check_reads_both_databases(fleet):
    tmp, dbs = fleet
    assert manage(tmp, dbs, "db_migrate", "--all-databases", "--tenants", "--jobs", "2").returncode == 0
    r = manage(tmp, dbs, "db_rollback", "--all-databases", "--tenants")
    assert r.returncode != 0 and "needs --force" in r.stderr
    r = manage(tmp, dbs, "db_rollback", "--all-databases", "--tenants", "--force")
    assert r.returncode == 0, r.stderr
    for params in dbs:
        assert recorded(params) == {f"t_{i:02}": NAMES[:2] for i in range(25)}
        assert rows(params, "SELECT name FROM public.schemakit_migrations ORDER BY id") == [(n,) for n in NAMES[:2]]
        assert not any(name.startswith("seen_") for names in tables(params).values() for name in names)
    r = manage(tmp, dbs, "db_check", "--all-databases")
    assert r.returncode == 0 and r.stdout.count("OK:") == 2, r.stdout + r.stderr


def test_hostile_tenant_name_gets_its_own_search_path(admin_params, tmp_path):
    from django.test import override_settings

    from schemakit.api.fanout import Rollout, fleet, migrate_all, states, targets_of

    params = create_database(admin_params)
    try:
        names = ['t_we"ird x', "t_Naïve\\", "t_plain"]
        sql_run(params, "".join(f'CREATE SCHEMA "{n.replace(chr(34), chr(34) * 2)}";' for n in names))
        p = Project([str(write_schema(tmp_path / "schema.py", RICH))], tmp_path / "migrations", part=PER_DATABASE,
                    params=lambda: params)
        generate(p, Resolver(), name="init")
        with override_settings(SCHEMAKIT={"TENANTS": lambda alias: names}), fleet({"default": p}) as f:
            chosen = targets_of(f, True, [])
            report = migrate_all(f, chosen, Rollout(jobs=2), lambda o: None)
            assert [s.state for s in states(f, chosen)] == ["up to date"] * 4
        assert report.count("done") == 4, report.outcomes
        found = tables(params)
        assert all(found[n] == {"users", "schemakit_migrations"} for n in names)
        for n in names:  # the enum, the view and the index live in each tenant, the view reads its own table
            assert rows(params, "SELECT 1 FROM pg_type t, pg_class c WHERE t.typname = 'mood' AND c.relname = 'active'"
                                f" AND t.typnamespace = c.relnamespace AND c.relnamespace = {literal(ident(n))}::regnamespace")
        assert rows(params, "SELECT count(*) FROM pg_class WHERE relname = 'users_email'") == [(3,)]
    finally:
        drop_database(admin_params, params)


@pytest.mark.django_db(transaction=True)
def test_admin_shows_the_target_matrix_read_only(client, django_user_model, settings, tmp_path):
    from django.contrib.auth.models import Permission

    from schemakit.api.fanout import Rollout, fleet, migrate_all, targets_of
    from schemakit.api.project import project_for

    settings.SCHEMAKIT = {**settings.SCHEMAKIT, "MIGRATIONS_DIR": tmp_path / "migrations",
                          "SCHEMA": [str(tmp_path / "s.py")],
                          "TENANTS": r"SELECT nspname FROM pg_namespace WHERE nspname LIKE 'adm\_%' ORDER BY 1"}
    (tmp_path / "s.py").write_text("")
    p = project_for()
    params = p.connection_params()
    sql_run(params, "CREATE SCHEMA adm_a; CREATE SCHEMA adm_b;")
    try:
        up = generate(p, Resolver(), name="first", custom=True).paths[0]
        up.write_text(up.read_text() + "CREATE TABLE notes (id int);\n")
        with fleet({"default": p}) as f:
            assert migrate_all(f, targets_of(f, False, ["adm_a"]), Rollout(), lambda o: None).count("done") == 2
        user = django_user_model.objects.create_user("staff", password="pw", is_staff=True)
        user.user_permissions.add(Permission.objects.get(codename="view_schemamigration"))
        client.force_login(user)
        body = client.get("/admin/schemakit/schemamigration/").content.decode()
        assert "Databases and tenants" in body
        assert "<td>default/adm_a</td><td>up to date</td>" in body
        assert f"<td>default/adm_b</td><td>pending</td><td>{up.stem}" in body
        assert rows(params, "SELECT count(*) FROM pg_tables WHERE tablename = 'notes'") == [(1,)]  # nothing ran
    finally:
        sql_run(params, "DROP SCHEMA adm_a CASCADE; DROP SCHEMA adm_b CASCADE; DROP TABLE IF EXISTS public.schemakit_migrations,"
                        " public.schemakit_migrations_targets")


def test_without_schema_reads_names_not_strings_or_comments():
    from schemakit.pg.sqltext import without_schema

    text = ('CREATE VIEW "v" AS SELECT public.users.id, "public"."f"(\'public.x\') FROM Public.users -- public.c\n'
            ', "Public".t, "public"."we""ird"')
    assert without_schema(text, "public") == ('CREATE VIEW "v" AS SELECT users.id, "f"(\'public.x\') FROM users -- public.c\n'
                                              ', "Public".t, "we""ird"')


def test_without_schema_unqualifies_regclass_strings_only():
    """A serial column's default names its sequence in a string: each tenant must get its own sequence."""
    from schemakit.pg.sqltext import without_schema

    text = ("ALTER TABLE \"public\".\"t\" ALTER COLUMN id SET DEFAULT nextval('\"public\".\"t_id_seq\"'::regclass), "
            "nextval('other.s'::regclass), 'public.x', E'public.y'::regclass, nextval('Public.s'::REGCLASS)")
    assert without_schema(text, "public") == (
        "ALTER TABLE \"t\" ALTER COLUMN id SET DEFAULT nextval('\"t_id_seq\"'::regclass), "
        "nextval('other.s'::regclass), 'public.x', E'public.y'::regclass, nextval('s'::REGCLASS)")
