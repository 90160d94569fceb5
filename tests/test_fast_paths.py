"""The speed-ups change nothing: snapshots byte-identical to the standard library's, models round-trip."""

from __future__ import annotations

import json

import psycopg.sql
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

import schemakit as sk
from bench.synthetic import schema as synthetic
from schemakit.pg import quote
from schemakit.schema import snapshot
from schemakit.schema.compile import compile_objects

from .test_properties import schemas


def reference_dumps(db, sid, parent) -> str:
    """What snapshot.dumps wrote before it used orjson."""
    data = {"version": snapshot.VERSION, "dialect": "postgresql", "id": sid, "parent": parent, **snapshot.plain(db)}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def synthetic_db(n: int):
    namespace: dict = {}
    exec(synthetic(n), namespace)  # noqa: S102 - our own benchmark schema
    return compile_objects(namespace.values())


# names a snapshot must carry byte for byte: quotes, backslashes, control characters, unicode
AWKWARD = ['we"ird', "back\\slash", "tab\there", "new\nline", "naïve ü", "emoji 🐘", "\x7f del", "\u2028 sep", "x" * 63]


def awkward_db():
    mood = sk.Enum("mood", AWKWARD[:4])
    cols = [sk.text(n).default(n).comment(n) for n in AWKWARD]
    return compile_objects([mood, sk.Table("t", sk.serial("id").primary_key(), mood("m"), *cols, comment="c\"'\\")])


@pytest.mark.parametrize("db", [synthetic_db(30), awkward_db()], ids=["synthetic", "awkward"])
def test_snapshot_bytes_and_round_trip(db):
    text = snapshot.dumps(db, "id-1", "id-0")
    assert text == reference_dumps(db, "id-1", "id-0")
    assert snapshot.loads(text) == (db, "id-1", "id-0")


@settings(max_examples=30, deadline=None)
@given(schemas())
def test_snapshot_bytes_random(db):
    text = snapshot.dumps(db, "a", None)
    assert text == reference_dumps(db, "a", None)
    assert snapshot.loads(text)[0] == db


@pytest.mark.parametrize("value", [{}, [], {"a": [1, 2, {"b": None}]}, "it's", {"ü": "naïve\n"}, 1.5, True, None, [1, "a\\b"]])
@pytest.mark.parametrize("type_sql", ["json", "jsonb"])
def test_json_default_literal_as_psycopg_renders_it(value, type_sql):
    from psycopg.types.json import Json, Jsonb

    wrapped = Jsonb(value) if type_sql == "jsonb" else Json(value)
    assert quote.python_default_literal(value, type_sql) == psycopg.sql.Literal(wrapped).as_string(None)


@pytest.mark.parametrize("parts", [("a",), ("public", "t"), ('we"ird', "sel ect"), ("naïve",)])
def test_cached_ident_equals_psycopg(parts):
    assert quote.ident(*parts) == psycopg.sql.Identifier(*parts).as_string(None)
    assert quote.ident(*parts) == psycopg.sql.Identifier(*parts).as_string(None)  # the cached answer too


def test_column_modifiers_copy_without_sharing():
    base = sk.text("a")
    changed = base.not_null().default("x")
    assert (base.is_not_null, base.default_value is sk.schema.dsl._UNSET) == (False, True)
    assert (changed.is_not_null, changed.default_value, changed.name) == (True, "x", "a")
    assert type(changed) is type(base) and changed == sk.text("a").not_null().default("x")


def test_app_start_up_imports_neither_the_language_nor_pglast():
    """Every manage.py command of a project loads the app: its start-up must stay light (issue 12)."""
    import subprocess
    import sys
    from pathlib import Path

    code = ("import sys, django; django.setup(); import schemakit.admin; "
            "print(sorted(m for m in sys.modules if m.startswith(('pglast', 'schemakit.schema', 'schemakit.diff'))))")
    root = Path(__file__).resolve().parent.parent
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root), "DJANGO_SETTINGS_MODULE": "project.settings"}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
    # the language still loads on first use, star import included
    star = subprocess.run([sys.executable, "-c", "from schemakit import *; print(Table.__module__, SchemaError.__name__)"],
                          env=env, cwd=root, capture_output=True, text=True, check=True)
    assert star.stdout.split() == ["schemakit.schema.dsl", "SchemaError"]


_NAME_CHARS = "abkKsSXYZ_$09"
_QUERY_CHARS = _NAME_CHARS + ' ."(),\u212a\u017f\u00e9'


@given(st.text(_NAME_CHARS, min_size=1, max_size=4), st.lists(st.text(_QUERY_CHARS, max_size=8), max_size=8))
@settings(max_examples=400, deadline=None)
def test_mentions_by_word_set_agrees_with_the_search(name, parts):
    """A view's words are read once; for an ASCII word name the lookup answers as the regular search does."""
    from schemakit.diff import order

    for query in [" ".join(parts), "".join(parts), f'SELECT * FROM "{name}" JOIN x' + "".join(parts),
                  "SELECT * FROM " + name.replace("s", "\u017f").replace("k", "\u212a")]:
        assert order.mentions(query, name) == bool(order._pattern(name).search(query)), (query, name)


@pytest.mark.parametrize("command, absent", [
    ("db_migrate", ("schemakit.diff", "schemakit.api.status", "pglast")),  # the guard loads them when it runs
    ("db_status", ("schemakit.diff", "schemakit.api.fanout", "schemakit.schema.writer", "pglast")),
])
def test_a_command_imports_only_what_its_usual_run_needs(command, absent):
    """Imports are a fixed cost of every run: what only a guard, a drift or a fan-out needs loads then."""
    import subprocess
    import sys
    from pathlib import Path

    code = (f"import sys, django; django.setup(); import schemakit.management.commands.{command}; "
            f"print(sorted(m for m in sys.modules if m.startswith({absent!r})))")
    root = Path(__file__).resolve().parent.parent
    env = {"PATH": "/usr/bin:/bin", "PYTHONPATH": str(root), "DJANGO_SETTINGS_MODULE": "project.settings"}
    out = subprocess.run([sys.executable, "-c", code], env=env, cwd=root, capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "[]", out.stdout + out.stderr
