"""References from schemakit's tables to tables it does not own: Django's models and IGNORE_TABLES."""

from __future__ import annotations

import textwrap

import psycopg

from .helpers import HEADER, run_sql
from .test_django_models import run

SETTINGS = """\
from project.settings import *  # noqa: F403
INSTALLED_APPS = [*INSTALLED_APPS, "skmodels"]  # noqa: F405
SCHEMAKIT = {{**SCHEMAKIT, "SCHEMA": {schema!r}, "IGNORE_TABLES": ["legacy_*"]}}  # noqa: F405
"""

SCHEMA = """
from django.conf import settings

profile = Table(
    "profile",
    serial("id").primary_key(),
    integer("user_id").not_null().unique().references(settings.AUTH_USER_MODEL, on_delete="cascade"),
    integer("editor_id").references("auth.User"),
    integer("group_id").references("auth_group.id", on_delete="set null"),
    integer("legacy_id").references("legacy_account.id"),
)
"""


def project(tmp, body: str):
    (tmp / "skschema.py").write_text(HEADER + textwrap.dedent(body))
    (tmp / "skmodels").mkdir(exist_ok=True)
    (tmp / "skmodels" / "__init__.py").write_text("")
    (tmp / "sk_settings.py").write_text(SETTINGS.format(schema=str(tmp / "skschema.py")))


def ok(*args, tmp, params):
    r = run(*args, tmp=tmp, params=params)
    assert r.returncode == 0, (args, r.stdout, r.stderr)
    return r


def fks(params) -> dict[str, str]:
    with psycopg.connect(**params) as c:
        rows = c.execute("SELECT conname, confrelid::regclass::text FROM pg_constraint WHERE contype = 'f'"
                         " AND conrelid = 'profile'::regclass ORDER BY 1").fetchall()
    return dict(rows)


def test_references_to_django_and_ignored_tables(tmp_path, fresh_db):
    project(tmp_path, SCHEMA)
    ok("migrate", "-v", "0", tmp=tmp_path, params=fresh_db)
    run_sql(fresh_db, "CREATE TABLE legacy_account (id integer PRIMARY KEY)")
    r = ok("db_generate", "--name", "init", tmp=tmp_path, params=fresh_db)
    assert 'REFERENCES "public"."auth_user" ("id") ON DELETE CASCADE' in r.stdout
    assert "CREATE TABLE" in r.stdout and '"auth_user" (' not in r.stdout.split("REFERENCES")[0]
    ok("db_migrate", tmp=tmp_path, params=fresh_db)
    assert fks(fresh_db) == {"profile_editor_id_fkey": "auth_user", "profile_group_id_fkey": "auth_group",
                             "profile_legacy_id_fkey": "legacy_account", "profile_user_id_fkey": "auth_user"}
    r = ok("db_status", "--exit-code", tmp=tmp_path, params=fresh_db)
    assert "Drift: none" in r.stdout
    # the key is schemakit's: dropped by hand, it shows as drift; push puts it back
    run_sql(fresh_db, "ALTER TABLE profile DROP CONSTRAINT profile_editor_id_fkey")
    assert run("db_status", "--exit-code", tmp=tmp_path, params=fresh_db).returncode == 1
    ok("db_push", "--force", tmp=tmp_path, params=fresh_db)
    assert "profile_editor_id_fkey" in fks(fresh_db)
    # pull writes a module that compiles; pushing it back changes nothing
    r = ok("db_pull", tmp=tmp_path, params=fresh_db)
    assert "'public', 'auth_user', 'id'" in r.stdout.replace('"', "'")
    (tmp_path / "skschema.py").write_text(r.stdout)
    assert ok("db_push", tmp=tmp_path, params=fresh_db).stdout.strip() == "No changes"
    # the generated models follow the key to Django's model
    ok("db_models", "--out", str(tmp_path / "skmodels" / "models.py"), tmp=tmp_path, params=fresh_db)
    code = """
from django.contrib.auth.models import Group, User
from django.db import models
from skmodels.models import Profile
f = Profile._meta.get_field
assert f("user").related_model is User and f("user").remote_field.on_delete is models.CASCADE and f("user").unique
assert f("editor").related_model is User and f("group").related_model is Group
assert f("group").remote_field.on_delete is models.SET_NULL and type(f("legacy_id")) is models.IntegerField
print("fields ok")
"""
    assert ok("shell", "-c", code, tmp=tmp_path, params=fresh_db).stdout.strip().endswith("fields ok")
    assert "settings.AUTH_USER_MODEL" in (tmp_path / "skmodels" / "models.py").read_text()
    # dropping the reference drops the key, never the referenced table
    project(tmp_path, SCHEMA.replace('.references("auth.User")', ""))
    r = ok("db_generate", "--name", "unref", tmp=tmp_path, params=fresh_db)
    assert 'DROP CONSTRAINT "profile_editor_id_fkey"' in r.stdout and "DROP TABLE" not in r.stdout
    ok("db_migrate", tmp=tmp_path, params=fresh_db)
    assert "profile_editor_id_fkey" not in fks(fresh_db)


def test_unknown_reference_is_one_line(tmp_path, fresh_db):
    project(tmp_path, 't = Table("t", integer("x").references("nowhere.id"))\n')
    r = run("db_generate", tmp=tmp_path, params=fresh_db)
    assert r.returncode == 1 and "references unknown table public.nowhere" in r.stderr
    assert "Traceback" not in r.stderr
