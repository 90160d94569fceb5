"""Schema modules: several modules (and files) that share objects compile into one schema."""

from __future__ import annotations

import secrets
import sys

import pytest

from schemakit.api import Project
from schemakit.errors import SchemaError

from .helpers import HEADER


@pytest.fixture
def package(tmp_path, monkeypatch):
    """A fresh importable package; returns (name, folder)."""
    name = f"skapp_{secrets.token_hex(4)}"
    folder = tmp_path / name
    folder.mkdir()
    (folder / "__init__.py").write_text("")
    monkeypatch.syspath_prepend(str(tmp_path))
    yield name, folder
    for m in [m for m in sys.modules if m == name or m.startswith(name + ".")]:
        del sys.modules[m]


A = HEADER + 'mood = Enum("mood", ["a", "b"])\nusers = Table("users", serial("id").primary_key(), mood("m"))\n'


def test_an_object_imported_by_another_module_is_one_object(package, tmp_path):
    name, folder = package
    (folder / "a.py").write_text(A)
    (folder / "b.py").write_text(HEADER + f"from {name}.a import users, mood\n"
                                 'posts = Table("posts", integer("author").references(users.c.id), mood("m"))\n')
    db = Project([f"{name}.a", f"{name}.b"], tmp_path / "m").load_schema()
    assert sorted(t.name for t in db.tables) == ["posts", "users"] and [e.name for e in db.enums] == ["mood"]
    (tmp_path / "c.py").write_text(HEADER + f"from {name}.a import users\n")  # a file reaching it too
    assert len(Project([f"{name}.a", str(tmp_path / "c.py")], tmp_path / "m").load_schema().tables) == 1


def test_two_different_objects_with_one_name_stay_an_error(package, tmp_path):
    name, folder = package
    (folder / "a.py").write_text(A)
    (folder / "b.py").write_text(HEADER + 'users = Table("users", integer("id"))\n')
    with pytest.raises(SchemaError, match="duplicate table public.users"):
        Project([f"{name}.a", f"{name}.b"], tmp_path / "m").load_schema()


def test_a_dotted_module_edited_within_the_same_second_is_read_again(tmp_path):
    """__pycache__ checks mtime in whole seconds and size: the edit must not load the previous schema."""
    import os
    import subprocess

    from .conftest import ROOT

    env = {k: v for k, v in os.environ.items() if k not in ("DATABASE_URL", "PYTHONDONTWRITEBYTECODE")}
    env.update(PYTHONPATH=f"{ROOT}:{tmp_path}", DJANGO_SETTINGS_MODULE="project.settings", SCHEMAKIT_SCHEMA="samesec",
               SCHEMAKIT_MIGRATIONS_DIR=str(tmp_path / "m"), SCHEMAKIT_PGDATA=str(tmp_path / "never-started"))
    module = tmp_path / "samesec.py"

    def generate(*args: str) -> subprocess.CompletedProcess:
        return subprocess.run([sys.executable, str(ROOT / "manage.py"), "db_generate", *args], env=env,
                              capture_output=True, text=True, timeout=120, cwd=tmp_path)

    module.write_text('from schemakit import *\nt = Table("t", integer("a"))\n')
    assert generate("--no-renames").returncode == 0
    stat = os.stat(module)
    module.write_text('from schemakit import *\nt = Table("t", integer("b"))\n')  # same size
    os.utime(module, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same second
    r = generate("--check")
    assert r.returncode == 1 and "add column public.t.b" in r.stdout, r.stdout + r.stderr
