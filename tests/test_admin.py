"""Admin "Schema migrations": read-only, staff with the view permission only."""

from __future__ import annotations

import psycopg
import pytest
from django.contrib.auth.models import Permission
from django.test import override_settings

from schemakit.api import generate, migrate
from schemakit.diff.renames import Resolver
from schemakit.settings_project import project

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.fixture
def migrations(tmp_path, settings):
    settings.SCHEMAKIT = {**settings.SCHEMAKIT, "MIGRATIONS_DIR": tmp_path / "migrations", "SCHEMA": [str(tmp_path / "s.py")]}
    (tmp_path / "s.py").write_text("")
    p = project()
    first = generate(p, Resolver(), name="first", custom=True)
    first.paths[0].write_text(first.paths[0].read_text() + "SELECT 1;")
    migrate(p)
    second = generate(p, Resolver(), name="second", custom=True)
    yield first.paths[0].stem, second.paths[0].stem
    with psycopg.connect(**p.connection_params(), autocommit=True) as c:
        c.execute("DROP TABLE IF EXISTS schemakit_migrations")


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


@override_settings(SCHEMAKIT={"MIGRATIONS_TABLE": "ops.migrations"})
def test_superuser_still_cannot_add(client, django_user_model):
    admin = django_user_model.objects.create_superuser("root", password="pw")
    client.force_login(admin)
    assert client.get(f"{URL}add/").status_code == 403


def test_partial_no_transaction_file_shows_its_progress(client, staff, migrations):
    from schemakit import migrations_dir as md
    from schemakit.errors import StatementError

    second = project().folder.up_path(migrations[1])
    second.write_text(second.read_text() + md.NO_TRANSACTION + "\nSELECT 1;\n--> statement-breakpoint\nSELECT 1/0;\n")
    with pytest.raises(StatementError):
        migrate(project())
    client.force_login(staff)
    assert "partial: 1 of 2 statements" in client.get(URL).content.decode()
