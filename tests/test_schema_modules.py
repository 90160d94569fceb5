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
