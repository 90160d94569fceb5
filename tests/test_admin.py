"""Admin "Schema migrations": read-only, staff with the view permission only."""

from __future__ import annotations

import psycopg
import pytest
from django.contrib.auth.models import Permission
from django.test import override_settings

from schemakit.api import generate, migrate
from schemakit.api.project import project_for
from schemakit.diff.renames import Resolver

pytestmark = pytest.mark.django_db(transaction=True)


def _applied_and_pending(tmp_path, settings, table: str):
    """One applied migration (`first`) and one pending (`second`) under the tracking table `table`."""
    settings.SCHEMAKIT = {**settings.SCHEMAKIT, "MIGRATIONS_DIR": tmp_path / "migrations",
                          "SCHEMA": [str(tmp_path / "s.py")], "MIGRATIONS_TABLE": table}
    (tmp_path / "s.py").write_text("")
    p = project_for()
    first = generate(p, Resolver(), name="first", custom=True)
    first.paths[0].write_text(first.paths[0].read_text() + "SELECT 1;")
    migrate(p)
    second = generate(p, Resolver(), name="second", custom=True)
    return p, first.paths[0].stem, second.paths[0].stem


@pytest.fixture
def migrations(tmp_path, settings):
    p, first, second = _applied_and_pending(tmp_path, settings, "schemakit_migrations")
    yield first, second
    with psycopg.connect(**p.connection_params(), autocommit=True) as c:
        c.execute("DROP TABLE IF EXISTS schemakit_migrations")


@pytest.fixture
def ops_migrations(tmp_path, settings):
    p, first, second = _applied_and_pending(tmp_path, settings, "ops.migrations")
    yield first, second
    with psycopg.connect(**p.connection_params(), autocommit=True) as c:
        c.execute("DROP SCHEMA IF EXISTS ops CASCADE")


@pytest.fixture
def staff(django_user_model):
    user = django_user_model.objects.create_user("staff", password="pw", is_staff=True)
    user.user_permissions.add(Permission.objects.get(codename="view_schemamigration"))
    return user


URL = "/admin/schemakit/schemamigration/"


def test_staff_sees_list_with_state_and_pending(client, staff, migrations):
    first, second = migrations
    client.force_login(staff)
    r = client.get(URL)
    body = r.content.decode()
    assert r.status_code == 200
    assert first in body and "checksum matches" in body and " ms" in body
    assert "Pending migrations" in body and second in body


def test_staff_sees_detail_with_sql(client, staff, migrations):
    from schemakit.models import SchemaMigration

    client.force_login(staff)
    obj = SchemaMigration.objects.get(name=migrations[0])
    r = client.get(f"{URL}{obj.pk}/change/")
    assert r.status_code == 200 and "SELECT 1;" in r.content.decode()
    assert 'name="_save"' not in r.content.decode()


def test_anonymous_is_redirected_to_login(client, migrations):
    r = client.get(URL)
    assert r.status_code == 302 and "/admin/login/" in r["Location"]


def test_non_staff_gets_no_access(client, django_user_model, migrations):
    user = django_user_model.objects.create_user("plain", password="pw")
    client.force_login(user)
    r = client.get(URL)
    assert r.status_code == 302 and "/admin/login/" in r["Location"]


def test_staff_without_view_permission_gets_403(client, django_user_model, migrations):
    user = django_user_model.objects.create_user("nope", password="pw", is_staff=True)
    client.force_login(user)
    assert client.get(URL).status_code == 403


def test_no_add_change_or_delete(client, staff, migrations):
    from schemakit.models import SchemaMigration

    client.force_login(staff)
    obj = SchemaMigration.objects.get(name=migrations[0])
    assert client.get(f"{URL}add/").status_code == 403
    assert client.post(f"{URL}{obj.pk}/change/", {"name": "x"}).status_code == 403
    assert client.post(f"{URL}{obj.pk}/delete/", {"post": "yes"}).status_code == 403
    assert SchemaMigration.objects.filter(name=migrations[0]).exists()


def test_superuser_still_cannot_add(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pw")
    client.force_login(admin)
    assert client.get(f"{URL}add/").status_code == 403


def test_partial_no_transaction_file_shows_its_progress(client, staff, migrations):
    from schemakit.errors import StatementError
    from schemakit.history import folder as md

    second = project_for().folder.up_path(migrations[1])
    second.write_text(second.read_text() + md.NO_TRANSACTION + "\nSELECT 1;\n--> statement-breakpoint\nSELECT 1/0;\n")
    with pytest.raises(StatementError):
        migrate(project_for())
    client.force_login(staff)
    assert "partial: 1 of 2 statements" in client.get(URL).content.decode()


def test_tracking_row_naming_a_path_outside_the_folder_is_not_read(client, staff, migrations, tmp_path):
    from schemakit.models import SchemaMigration

    secret = tmp_path.parent / "secret.sql"  # <migrations>/../../secret.sql
    secret.write_text("TOP SECRET")
    try:
        with psycopg.connect(**project_for().connection_params(), autocommit=True) as c:
            c.execute("INSERT INTO schemakit_migrations (name, checksum, execution_ms) VALUES ('../../secret', 'x', 0)")
        client.force_login(staff)
        obj = SchemaMigration.objects.get(name="../../secret")
        body = client.get(f"{URL}{obj.pk}/change/").content.decode() + client.get(URL).content.decode()
        assert "TOP SECRET" not in body and "not in the journal" in body
    finally:
        secret.unlink()


def test_schema_qualified_tracking_table_is_read(client, staff, ops_migrations):
    from schemakit.models import SchemaMigration

    first, second = ops_migrations
    client.force_login(staff)
    body = client.get(URL).content.decode()
    assert first in body and "checksum matches" in body
    assert "Pending migrations" in body and second in body
    obj = SchemaMigration.objects.get(name=first)
    assert "SELECT 1;" in client.get(f"{URL}{obj.pk}/change/").content.decode()


@override_settings(SCHEMAKIT={"MIGRATIONS_TABLE": "ops.migrations"})
def test_tracking_table_follows_the_setting():
    from schemakit.models import SchemaMigration

    assert SchemaMigration._meta.db_table == '"ops"."migrations"'
