"""A sample Django project adopts schemakit; its test databases get the schema (manage.py test, pytest-django)."""

from __future__ import annotations

import os
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from .conftest import ROOT

FILES = {
    "manage.py": """
        import sys
        from django.core.management import execute_from_command_line
        execute_from_command_line(sys.argv)
    """,
    "sample/__init__.py": "",
    "sample/settings.py": """
        import os
        from pathlib import Path
        BASE_DIR = Path(__file__).resolve().parent.parent
        SECRET_KEY = "sample"
        INSTALLED_APPS = ["django.contrib.auth", "django.contrib.contenttypes", "schemakit", "shop"]
        DATABASES = {"default": {"ENGINE": "django.db.backends.postgresql", "NAME": os.environ["SAMPLE_DB"],
                                 "HOST": os.environ["SAMPLE_HOST"], "PORT": os.environ.get("SAMPLE_PORT", ""),
                                 "USER": os.environ["SAMPLE_USER"]}}
        SCHEMAKIT = {"SCHEMA": "shop.schema", "MIGRATIONS_DIR": BASE_DIR / "dbmigrations",
                     "MODELS_FILE": BASE_DIR / "shop" / "dbmodels.py",
                     "TEST_DATABASE": os.environ.get("SAMPLE_MODE", "migrate") or None}
        USE_TZ = True
        DEFAULT_AUTO_FIELD = "django.db.models.BigAutoField"
    """,
    "shop/__init__.py": "",
    "shop/schema.py": """
        from django.conf import settings
        from schemakit import Enum, Table, integer, numeric, serial, text
        status = Enum("status", ["new", "paid"])
        profile = Table("profile", serial("id").primary_key(),
                        integer("user_id").not_null().references(settings.AUTH_USER_MODEL, on_delete="cascade"),
                        text("bio"))
        orders = Table("orders", serial("id").primary_key(),
                       integer("owner_id").not_null().references(profile.c.id, on_delete="cascade"),
                       numeric("total", 10, 2).not_null(), status("status").not_null().default("new"))
    """,
    "shop/models.py": """
        from django.db import models
        from .dbmodels import *  # noqa: F403
        from .dbmodels import Orders

        class Note(models.Model):  # a Django model referencing a schemakit table
            order = models.ForeignKey(Orders, on_delete=models.CASCADE, db_constraint=False)
            text = models.TextField()
    """,
    "shop/tests.py": """
        from django.contrib.auth.models import User
        from django.test import TestCase
        from shop.models import Note, Orders, Profile, Status

        def make():
            p = Profile.objects.create(user=User.objects.create(username="ann"), bio="hi")
            o = Orders.objects.create(owner=p, total="9.50")
            Note.objects.create(order=o, text="n")
            return Note.objects.select_related("order__owner__user").get()

        class OrdersTests(TestCase):
            def test_orm(self):
                n = make()
                self.assertEqual((n.order.owner.user.username, n.order.status), ("ann", Status.NEW))

        class ProfileTests(TestCase):
            def test_cascade_from_django_user(self):
                make()
                User.objects.all().delete()
                self.assertEqual(Profile.objects.count(), 0)
    """,
    "test_shop.py": """
        import pytest
        from shop.tests import make

        @pytest.mark.django_db
        def test_orm():
            assert make().order.owner.user.username == "ann"
    """,
    "pytest.ini": """
        [pytest]
        DJANGO_SETTINGS_MODULE = sample.settings
        addopts = -p no:cacheprovider
        testpaths = test_shop.py
    """,
}


@pytest.fixture
def sample(tmp_path, fresh_db):
    for name, text in FILES.items():  # models.py imports dbmodels.py: empty until db_models writes that
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text("" if name == "shop/models.py" else textwrap.dedent(text).lstrip())
    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "SCHEMAKIT_TEST_PGDATA")}
    env.update({"DJANGO_SETTINGS_MODULE": "sample.settings", "PYTHONPATH": f"{ROOT}:{tmp_path}",
                "SAMPLE_DB": fresh_db["dbname"], "SAMPLE_HOST": fresh_db["host"], "SAMPLE_USER": fresh_db["user"],
                "SAMPLE_PORT": str(fresh_db.get("port", ""))})
    s = Sample(tmp_path, env)
    for args in (["db_generate", "--name", "init"], ["db_models"]):
        r = s.manage(*args)
        assert r.returncode == 0, r.stderr
    (tmp_path / "shop" / "models.py").write_text(textwrap.dedent(FILES["shop/models.py"]).lstrip())
    return s


class Sample:
    def __init__(self, root: Path, env: dict) -> None:
        self.root, self.env = root, env

    def run(self, *args: str, mode: str = "migrate") -> subprocess.CompletedProcess:
        env = {**self.env, "SAMPLE_MODE": mode}
        return subprocess.run([sys.executable, *args], env=env, cwd=self.root, capture_output=True, text=True, timeout=300)

    def manage(self, *args: str, mode: str = "migrate") -> subprocess.CompletedProcess:
        return self.run("manage.py", *args, mode=mode)


def test_manage_py_test_gets_the_schema(sample):
    r = sample.manage("test", "shop", "--noinput")
    assert r.returncode == 0 and "Ran 2 tests" in r.stderr, r.stderr
    for _ in range(2):  # a kept database keeps its schema and gets what is pending
        r = sample.manage("test", "shop", "--noinput", "--keepdb")
        assert r.returncode == 0, r.stderr
    r = sample.manage("test", "shop", "--noinput", "--parallel", "2")
    assert r.returncode == 0 and "Cloning test database" in r.stderr and "Ran 2 tests" in r.stderr, r.stderr


def test_pytest_django_gets_the_schema(sample):
    r = sample.run("-m", "pytest", "-q", "--create-db")
    assert r.returncode == 0 and "1 passed" in r.stdout, r.stdout + r.stderr
    r = sample.run("-m", "pytest", "-q", "--reuse-db")
    assert r.returncode == 0 and "1 passed" in r.stdout, r.stdout + r.stderr


def test_push_mode_and_off(sample):
    r = sample.run("-m", "pytest", "-q", "--create-db", mode="push")
    assert r.returncode == 0 and "1 passed" in r.stdout, r.stdout + r.stderr
    r = sample.run("-m", "pytest", "-q", "--create-db", mode="")
    assert r.returncode == 1 and 'relation "profile" does not exist' in r.stdout, r.stdout + r.stderr
