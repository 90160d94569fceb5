"""schemakit's Django system checks: PostgreSQL by vendor, and a schema module not written yet blocks nothing of Django's."""

from __future__ import annotations

from .test_commands import run

GIS_SETTINGS = """from project.settings import *
DATABASES = {"default": {**DATABASES["default"], "ENGINE": "gis_like.backends.postgis"}}
"""
BACKEND = """from django.db.backends.postgresql import base

class DatabaseWrapper(base.DatabaseWrapper):  # like django.contrib.gis: vendor postgresql, another name
    pass
"""


def test_a_postgresql_backend_under_another_name_passes(tmp_path, fresh_db):
    pkg = tmp_path / "gis_like" / "backends" / "postgis"
    pkg.mkdir(parents=True)
    for d in (tmp_path / "gis_like", tmp_path / "gis_like" / "backends", pkg):
        (d / "__init__.py").write_text("")
    (pkg / "base.py").write_text(BACKEND)
    (tmp_path / "gissettings.py").write_text(GIS_SETTINGS)
    (tmp_path / "userschema.py").write_text("from schemakit import *\nt = Table('t', integer('a'))\n")
    env = {"DJANGO_SETTINGS_MODULE": "gissettings"}
    r = run("check", tmp=tmp_path, params=fresh_db, extra_env=env)
    assert r.returncode == 0 and "E005" not in r.stderr, r.stderr
    r = run("db_status", tmp=tmp_path, params=fresh_db, extra_env=env)
    assert r.returncode == 0 and "No migrations in the folder yet." in r.stdout, r.stderr


def test_a_schema_module_not_written_yet_warns_django_and_stops_db_commands(tmp_path, fresh_db):
    r = run("migrate", tmp=tmp_path, params=fresh_db, schema="not_written_yet")
    assert r.returncode == 0, r.stderr
    assert "schemakit.W001" in r.stderr and "no such module" in r.stderr and "Traceback" not in r.stderr
    assert "Applying auth.0001_initial" in r.stdout
    r = run("db_generate", tmp=tmp_path, params=fresh_db, schema="not_written_yet")
    assert r.returncode == 1 and r.stderr.strip() == "CommandError: cannot import schema module 'not_written_yet': no such module"


def test_a_syntax_error_names_file_and_line_everywhere(tmp_path, fresh_db):
    (tmp_path / "broken.py").write_text("from schemakit import *\nt = Table('t', integer('a')\n")
    for args in (["check"], ["migrate"]):
        r = run(*args, tmp=tmp_path, params=fresh_db, schema="broken")
        assert r.returncode == 0 and "Traceback" not in r.stderr, r.stderr
        assert f"{tmp_path / 'broken.py'}:2: SyntaxError" in r.stderr
    for args in (["db_generate"], ["db_push"], ["db_check"]):
        r = run(*args, tmp=tmp_path, params=fresh_db, schema="broken")
        assert r.returncode == 1 and "Traceback" not in r.stderr, r.stderr
        assert f"{tmp_path / 'broken.py'}:2: SyntaxError" in r.stderr + r.stdout
    r = run("db_generate", "-v", "2", tmp=tmp_path, params=fresh_db, schema="broken")
    assert r.returncode == 1 and "Traceback" in r.stderr  # Django's convention for bug reports


def test_a_mistake_the_language_catches_while_the_module_runs_names_the_line(tmp_path):
    (tmp_path / "userschema.py").write_text("from schemakit import *\n\nt = Table('t', integer('a'), 42)\n")
    r = run("db_generate", tmp=tmp_path)
    assert r.returncode == 1 and "Traceback" not in r.stderr
    assert r.stderr.strip() == f"CommandError: {tmp_path / 'userschema.py'}:3: table public.t: unexpected item 42"
