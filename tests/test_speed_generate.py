"""db_generate's start-up and compile speed-ups change nothing (issue 12): classes built from cached
bytecode are the classes `dataclass` builds, the compiled-schema cache records the same files by a
cheaper test, and the faster snapshot encoder writes the same bytes."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from datetime import UTC, datetime
from pathlib import Path

import orjson
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from schemakit.api.project import Project
from schemakit.schema import cache, snapshot

from .test_properties import schemas

ROOT = Path(__file__).resolve().parent.parent

# Everything `dataclass` gives a class, written out: fields and their options, the generated methods'
# bytecode, constants, names and annotations, slots, the signature it puts in __doc__.
DESCRIBE = """
import dataclasses, inspect, pickle, sys
import schemakit.diff.ops, schemakit.schema.dsl, schemakit.schema.model
out = []
for module in ("schemakit.schema.model", "schemakit.diff.ops_base", "schemakit.diff.ops_tables",
               "schemakit.diff.ops_objects", "schemakit.schema.dsl"):
    for name, cls in sorted(vars(sys.modules[module]).items()):
        if not (isinstance(cls, type) and dataclasses.is_dataclass(cls) and cls.__module__ == module):
            continue
        out.append((module, name, cls.__doc__, getattr(cls, "__slots__", None), cls.__match_args__, str(inspect.signature(cls)),
                    repr(cls.__dataclass_params__), sorted(k for k in vars(cls) if k.startswith("__"))))
        for f in dataclasses.fields(cls):
            out.append((f.name, f.type, "-" if f.default is dataclasses.MISSING else repr(f.default), f.init, f.repr, f.compare, f.hash, dict(f.metadata)))
        for method in ("__init__", "__repr__", "__eq__", "__hash__", "__setattr__", "__delattr__"):
            fn = vars(cls).get(method)
            code = getattr(fn, "__code__", None)
            if code is not None:
                out.append((method, fn.__qualname__, code.co_code, code.co_consts, code.co_names, code.co_varnames,
                            code.co_freevars, code.co_flags, repr(fn.__annotations__), repr(fn.__defaults__)))
from schemakit.schema import model
col = model.Column("a", "text", default="'x'")
try:
    col.name = "b"
except dataclasses.FrozenInstanceError as exc:
    out.append(("frozen", str(exc)))
out.append((repr(col), hash(col) == hash(model.Column("a", "text", default="'x'")), pickle.loads(pickle.dumps(col)) == col,
            dataclasses.replace(col, name="b")))
print(repr(out))
"""


def _describe(cache_dir: str) -> str:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "SCHEMAKIT_CACHE_DIR": cache_dir}
    out = subprocess.run([sys.executable, "-c", DESCRIBE], env=env, cwd=ROOT, capture_output=True, text=True,
                         check=True).stdout
    return re.sub(r" at 0x[0-9a-f]+", "", out)  # sentinels' addresses differ from process to process


def test_frozen_classes_from_cached_bytecode_are_what_dataclass_builds(tmp_path):
    """No cache (plain dataclass), a cold cache (compiles and writes), a warm one (reads): the same classes."""
    plain = _describe("off")
    cold = _describe(str(tmp_path / "cache"))
    written = sorted(p.name.split(".")[-3] for p in (tmp_path / "cache" / "classes").iterdir())
    warm = _describe(str(tmp_path / "cache"))
    assert written == ["dsl", "model", "ops_base", "ops_objects", "ops_tables"]
    assert plain.count("'__init__'") > 60  # the description covers every class
    assert cold == plain and warm == plain  # (not `==` on lists: pytest's diff of these strings takes minutes)


def test_frozen_cache_entry_damaged_or_stale_compiles_again(tmp_path):
    """A damaged file is ignored; a text not in the file (an edited class) is compiled and the file rewritten."""
    folder = tmp_path / "cache"
    plain = _describe("off")
    _describe(str(folder))
    entries = sorted((folder / "classes").iterdir())
    entries[0].write_bytes(entries[0].read_bytes()[:-20])  # cut short: its hash no longer matches
    entries[1].write_bytes(entries[1].read_bytes().replace(b"__init__", b"__xnit__"))
    assert _describe(str(folder)) == plain
    assert _describe(str(folder)) == plain


# ---------------------------------------------------------------- the compiled-schema cache's sources


def test_real_paths_agree_with_realpath(tmp_path):
    """The per-folder shortcut answers as os.path.realpath does: every loaded module, links and relative paths."""
    (tmp_path / "real").mkdir()
    (tmp_path / "real" / "m.py").write_text("")
    (tmp_path / "linked").symlink_to(tmp_path / "real")
    (tmp_path / "real" / "alias.py").symlink_to(tmp_path / "elsewhere.py")
    files = [getattr(m, "__file__", None) for m in list(sys.modules.values())]
    files = [f for f in files if f] + [str(tmp_path / "linked" / "m.py"), str(tmp_path / "real" / "alias.py"),
                                       str(tmp_path / "linked" / "alias.py"), "relative.py", "a/b/../c.py"]
    real = cache._real_paths()
    assert [real(f) for f in files] == [os.path.realpath(f) for f in files]


def test_a_cache_entry_records_pglast_by_its_version_not_its_parser(tmp_path, monkeypatch):
    """Compiling loads pglast (validation): the entry hashes pglast/__init__.py, never the 28 MB parser,
    and a schema file edit is still seen."""
    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", str(tmp_path / "cache"))
    for name in [m for m in sys.modules if m == "pglast" or m.startswith("pglast.")]:
        monkeypatch.delitem(sys.modules, name)  # as in a new process: the compile imports pglast
    path = tmp_path / "schema.py"
    path.write_text("from schemakit import Table, serial, text, sql\n"
                    "t = Table('t', serial('id').primary_key(), text('a').default(sql('lower(\\'X\\')')))\n")
    proj = Project([str(path)], tmp_path / "m")
    first = proj.load_schema()
    (entry,) = (tmp_path / "cache" / "schema").glob("*.json")
    files = [p for p, _ in cache.read_entry(entry)[0]["files"]]
    pglast = [p for p in files if "/pglast/" in p]
    assert [Path(p).relative_to(Path(p).parent.parent).as_posix() for p in pglast] == ["pglast/__init__.py"]
    assert str(path.resolve()) in files
    assert proj.load_schema() == first
    path.write_text(path.read_text().replace("text('a')", "text('b')"))
    assert [c.name for c in proj.load_schema().tables[0].columns] == ["id", "b"]


@pytest.mark.parametrize("n", [40])
def test_generate_writes_the_same_files_with_a_warm_cache(tmp_path, monkeypatch, n):
    """db_generate's files from a cold cache and from a warm one are byte-identical (snapshot ids aside)."""
    from bench.synthetic import schema as synthetic
    from schemakit.api.generate import generate
    from schemakit.diff.renames import Resolver

    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "schema.py"
    path.write_text(synthetic(n))
    texts = []
    for run in ("cold", "warm"):
        proj = Project([str(path)], tmp_path / run)
        generate(proj, Resolver({}, True), "initial", now=NOW)
        texts.append({p.name: _without_ids(p.read_text()) for p in sorted((tmp_path / run).rglob("*.*"))})
    assert texts[0] == texts[1] and len(texts[0]) >= 4


NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC)
_UUID = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")
_HASH = re.compile(r"sha256:[0-9a-f]{64}")


def _without_ids(text: str) -> str:
    return _HASH.sub("<hash>", _UUID.sub("<id>", text))  # the journal holds the snapshot's hash, so its id too


# ---------------------------------------------------------------- the snapshot encoder and the quoting


def test_shared_encoding_is_the_same_data_and_bytes(tmp_path, monkeypatch):
    """A schema read from the cache (columns shared between tables): shared dicts encode the same data, and
    the snapshot is what the standard library's encoder writes of the unshared data."""
    import json

    from bench.synthetic import schema as synthetic
    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "schema.py"
    path.write_text(synthetic(30))
    proj = Project([str(path)], tmp_path / "m")
    proj.load_schema()
    db = proj.load_schema()  # from the cache: one Column instance serves every table's "id"
    assert db.tables[0].columns[0] is db.tables[1].columns[0]
    for full in (False, True):
        assert snapshot._encode(db, full, {}) == snapshot.plain(db, full)
    data = {"version": snapshot.VERSION, "dialect": "postgresql", "id": "i", "parent": None, **snapshot.plain(db)}
    assert snapshot.dumps(db, "i", None) == json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


@settings(max_examples=300, deadline=None)
@given(st.lists(st.text(max_size=6), min_size=1, max_size=3))
def test_ident_fast_path_equals_psycopg(parts):
    """ASCII names are quoted by hand: the same text psycopg's Identifier renders, for any characters."""
    import psycopg.sql

    from schemakit.pg import quote

    try:
        expected = psycopg.sql.Identifier(*parts).as_string(None)
    except UnicodeEncodeError:  # a lone surrogate: psycopg refuses it, and so does ident
        with pytest.raises(UnicodeEncodeError):
            quote.ident.__wrapped__(*parts)
        return
    assert quote.ident.__wrapped__(*parts) == expected


@pytest.mark.parametrize("values", [[True, 1, 1.0, "1", 0, False, "", "it's", "naïve", -5, 2**70]])
def test_cached_literal_equals_psycopg_whatever_the_order(values):
    """True and 1 are equal keys: the cache keeps them apart, and every answer is psycopg's."""
    import psycopg.sql

    from schemakit.pg import quote

    for value in values + values[::-1]:
        assert quote.literal(value) == psycopg.sql.Literal(value).as_string(None), value


def test_compiled_equal_columns_are_one_instance_and_keep_their_renames():
    """Equal columns of different tables are one object; a rename (which == ignores) keeps its own."""
    import schemakit as sk
    from schemakit.schema.compile import compile_objects

    db = compile_objects([
        sk.Table("a", sk.serial("id").primary_key(), sk.text("note").not_null()),
        sk.Table("b", sk.serial("id").primary_key(), sk.text("note").not_null().renamed_from("old")),
        sk.Table("c", sk.serial("id").primary_key(), sk.text("note").not_null()),
    ])
    a, b, c = db.tables
    assert a.columns[0] is b.columns[0] is c.columns[0] and a.columns[1] is c.columns[1]
    assert b.columns[1] is not a.columns[1] and (a.columns[1].renamed_from, b.columns[1].renamed_from) == (None, "old")


def test_cache_body_is_the_json_of_the_full_plain_data(tmp_path, monkeypatch):
    """The compiled-schema entry is written by orjson from the dataclasses: the bytes of plain(full=True)."""
    from bench.synthetic import schema as synthetic

    from .test_fast_paths import awkward_db

    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", "off")
    path = tmp_path / "schema.py"
    path.write_text(synthetic(20) + "v = View('v', sql('SELECT 1'))\nq = Sequence('q', start=5)\n")
    for db in (awkward_db(), Project([str(path)], tmp_path / "m").load_schema()):
        assert orjson.dumps(db) == orjson.dumps(snapshot.plain(db, full=True))


@settings(max_examples=40, deadline=None)
@given(schemas())
def test_cache_body_is_the_json_of_the_full_plain_data_random(db):
    assert orjson.dumps(db) == orjson.dumps(snapshot.plain(db, full=True))
