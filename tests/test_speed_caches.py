"""The speed-ups of issue 12 change nothing: the compiled-schema cache never returns a stale schema,
and the per-class snapshot encoder and decoder agree with the generic walk they replaced."""

from __future__ import annotations

import dataclasses
import os
import sys
import textwrap

import pytest
from hypothesis import given, settings

from schemakit.api.project import Project
from schemakit.errors import SnapshotError
from schemakit.schema import cache, model, snapshot

from .test_fast_paths import awkward_db, synthetic_db
from .test_properties import schemas

# ---------------------------------------------------------------- the compiled-schema cache


@pytest.fixture
def project(tmp_path, monkeypatch):
    """A schema file importing a helper module from another folder (on sys.path), and an empty cache."""
    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", str(tmp_path / "cache"))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    monkeypatch.syspath_prepend(str(elsewhere))
    helper = elsewhere / "speed_cache_helper.py"
    helper.write_text("WIDTH = 10\nNOTE = 'aaaa'\n")
    schema = tmp_path / "schema.py"
    schema.write_text(textwrap.dedent("""
        from schemakit import Table, serial, varchar, text
        from speed_cache_helper import WIDTH, NOTE
        users = Table("users", serial("id").primary_key(), varchar("name", WIDTH).renamed_from("nom"),
                      text("note").default(NOTE))
    """))
    calls: list[int] = []
    proj = Project([str(schema)], tmp_path / "migrations")

    def load() -> model.Database:
        sys.modules.pop("speed_cache_helper", None)  # as in a new process: the helper is imported again

        def counted(external):
            calls.append(1)
            return proj.compile_schema(external)
        return cache.load(proj.schema_modules, proj.external, counted)

    return load, calls, schema, helper


def _column(db: model.Database, name: str) -> model.Column:
    return next(c for c in db.tables[0].columns if c.name == name)


def test_hit_is_the_same_schema_with_what_equality_ignores(project):
    load, calls, _, _ = project
    first, second = load(), load()
    assert calls == [1]  # compiled once, read back once
    assert snapshot.plain(second, full=True) == snapshot.plain(first, full=True)
    assert second == first and _column(second, "name").renamed_from == "nom"


def test_editing_the_schema_file_compiles_again(project):
    load, calls, schema, _ = project
    load()
    schema.write_text(schema.read_text().replace('text("note")', 'text("memo")'))
    assert [c.name for c in load().tables[0].columns] == ["id", "name", "memo"]
    assert calls == [1, 1]


def test_editing_an_imported_module_elsewhere_compiles_again(project):
    load, calls, _, helper = project
    assert _column(load(), "name").type == "character varying(10)"
    helper.write_text(helper.read_text().replace("WIDTH = 10", "WIDTH = 20"))
    assert _column(load(), "name").type == "character varying(20)"
    assert calls == [1, 1]


def test_same_size_edit_in_the_same_instant_compiles_again(project):
    load, calls, _, helper = project
    stat = helper.stat()
    assert _column(load(), "note").default == "'aaaa'"
    helper.write_text(helper.read_text().replace("'aaaa'", "'bbbb'"))  # same size
    os.utime(helper, ns=(stat.st_atime_ns, stat.st_mtime_ns))  # and the same modification time
    assert helper.stat().st_size == stat.st_size
    assert _column(load(), "note").default == "'bbbb'"
    assert calls == [1, 1]


def test_a_changed_external_answer_compiles_again(tmp_path, monkeypatch):
    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", str(tmp_path / "cache"))
    schema = tmp_path / "schema.py"
    schema.write_text('from schemakit import *\nt = Table("t", integer("u").references("auth_user.id"))\n')
    answers = {"auth_user.id": ("public", "auth_user", "id")}
    calls: list[int] = []

    def external(target):
        return answers.get(target)

    proj = Project([str(schema)], tmp_path / "m", external=external)

    def load(asking):
        calls.append(1)
        return proj.compile_schema(asking)  # the cache's recording wrapper around `external`

    assert cache.load(proj.schema_modules, external, load).tables[0].foreign_keys[0].ref_schema == "public"
    answers["auth_user.id"] = ("accounts", "auth_user", "id")  # e.g. the Django model moved to another schema
    assert cache.load(proj.schema_modules, external, load).tables[0].foreign_keys[0].ref_schema == "accounts"
    assert cache.load(proj.schema_modules, external, load).tables[0].foreign_keys[0].ref_schema == "accounts"
    assert calls == [1, 1]


def test_a_damaged_entry_compiles_again(project, tmp_path):
    load, calls, _, _ = project
    first = load()
    (entry,) = (tmp_path / "cache" / "schema").glob("*.json")
    entry.write_text(entry.read_text().replace('"columns"', '"columns_x"', 1))
    assert load() == first
    entry.write_bytes(b"\x00not json")
    assert load() == first
    assert calls == [1, 1, 1]


def test_cache_off_writes_nothing(project, tmp_path, monkeypatch):
    load, calls, _, _ = project
    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", "off")
    load()
    load()
    assert calls == [1, 1] and not (tmp_path / "cache").exists()


# ---------------------------------------------------------------- snapshot encoder and decoder


def reference_plain(obj):
    """The generic recursive walk snapshot.plain was before issue 12."""
    if isinstance(obj, (str, int, bool, float, type(None))):
        return obj
    if isinstance(obj, (tuple, list)):
        return [reference_plain(x) for x in obj]
    out = {}
    for f in dataclasses.fields(obj):
        value = getattr(obj, f.name)
        if f.compare and not (f.metadata.get("snapshot") == "omit-default" and value == f.default):
            out[f.name] = reference_plain(value)
    return out


def _not_valid(db: model.Database) -> model.Database:
    """`db` with live-database states that snapshots usually leave out (NOT VALID, INVALID)."""
    t = db.tables[0]
    checks = tuple(dataclasses.replace(c, validated=False) for c in t.checks)
    indexes = tuple(dataclasses.replace(i, valid=False) for i in t.indexes)
    return dataclasses.replace(db, tables=(dataclasses.replace(t, checks=checks, indexes=indexes), *db.tables[1:]))


@pytest.mark.parametrize("db", [synthetic_db(30), awkward_db(), _not_valid(synthetic_db(3))],
                         ids=["synthetic", "awkward", "not-valid"])
def test_encoder_matches_the_generic_walk(db):
    assert snapshot.plain(db) == reference_plain(db)
    assert snapshot.build(model.Database, snapshot.plain(db, full=True)) == db


@settings(max_examples=30, deadline=None)
@given(schemas())
def test_encoder_matches_the_generic_walk_random(db):
    assert snapshot.plain(db) == reference_plain(db)
    full = snapshot.build(model.Database, snapshot.plain(db, full=True))
    assert snapshot.plain(full, full=True) == snapshot.plain(db, full=True)


@pytest.mark.parametrize(("edit", "message"), [
    (lambda d: d["tables"][0]["columns"][1].update(type=5), "tables[0].columns[1].type: expected str, got 5"),
    (lambda d: d["tables"][1]["columns"][0].pop("name"), "tables[1].columns[0]: "),
    (lambda d: d["tables"][0]["primary_key"].update(columns=["id", 3]), "tables[0].primary_key.columns: expected tuple[str, ...]"),
    (lambda d: d["tables"][0].update(indexes=[1]), "tables[0].indexes[0]: expected an object, got 1"),
    (lambda d: d["tables"][0]["columns"][0].update(not_null="yes"), "tables[0].columns[0].not_null: expected bool"),
], ids=["type", "missing", "tuple", "object", "bool"])
def test_decoder_names_the_path_of_a_bad_value(edit, message):
    import orjson

    data = orjson.loads(snapshot.dumps(synthetic_db(3), "a", None))
    edit(data)
    with pytest.raises(SnapshotError) as err:
        snapshot.loads(orjson.dumps(data).decode())
    assert str(err.value).startswith(message)


def test_bench_schema_through_the_cache_writes_the_same_snapshot(tmp_path, monkeypatch):
    """The benchmark's schema compiled, then read from the cache: the snapshot is byte-identical."""
    from bench.synthetic import schema as synthetic

    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", str(tmp_path / "cache"))
    path = tmp_path / "schema.py"
    path.write_text(synthetic(50))
    proj = Project([str(path)], tmp_path / "m")
    compiled, cached = proj.load_schema(), proj.load_schema()
    assert list((tmp_path / "cache" / "schema").glob("*.json"))
    assert snapshot.dumps(cached, "a", None) == snapshot.dumps(compiled, "a", None)
    assert snapshot.loads(snapshot.dumps(cached, "a", None))[0] == compiled


# ---------------------------------------------------------------- the canonical-form cache


def test_canonical_cache_hit_is_what_a_build_returns(fresh_db, tmp_path, monkeypatch):
    """A hit returns the build's result, renames and CONCURRENTLY included; a damaged entry is rebuilt."""
    import schemakit as sk
    from schemakit.pg.canonical import canonicalize
    from schemakit.schema.compile import compile_objects

    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", str(tmp_path / "cache"))
    status = sk.Enum("status", ["new", "old"])
    t = sk.Table("t", sk.serial("id").primary_key(), status("s").default("new"),
                 sk.numeric("price", 10, 2).check(sk.sql("price >= 0")).renamed_from("cost"),
                 sk.text("note"), sk.Index("t_lower_idx", sk.sql("lower(note)"), concurrently=True))
    db = compile_objects([status, t])
    built = canonicalize(fresh_db, db)
    (entry,) = (tmp_path / "cache").glob("*.json")
    cached = canonicalize(fresh_db, db)
    assert snapshot.plain(cached, full=True) == snapshot.plain(built, full=True)
    assert cached.tables[0].column("price").renamed_from == "cost" and cached.tables[0].indexes[0].concurrently
    assert cached.tables[0].checks[0].expr != "price >= 0"  # PostgreSQL's spelling, not the author's
    entry.write_bytes(entry.read_bytes().replace(b'"columns"', b'"columns_x"', 1))
    assert snapshot.plain(canonicalize(fresh_db, db), full=True) == snapshot.plain(built, full=True)


def test_with_hints_puts_back_exactly_the_module_hints():
    """with_hints skips objects that already carry their hint; the result is what replacing every one gave."""
    import schemakit as sk
    from schemakit.pg.scratch import with_hints
    from schemakit.schema.compile import compile_objects

    source = compile_objects([sk.Table("t", sk.serial("id").primary_key(), sk.text("b").renamed_from("a"),
                                       sk.Index("t_b_idx", "b", renamed_from="t_a_idx"), renamed_from="old_t"),
                              sk.Table("u", sk.integer("x"))])
    bare = snapshot.build(model.Database, snapshot.plain(source))  # a canonical form that lost the hints
    for canon in (bare, source):
        hinted = with_hints(canon, source)
        assert snapshot.plain(hinted, full=True) == snapshot.plain(source, full=True)
    assert with_hints(source, source).tables[1] is source.tables[1]


def test_constraint_columns_named_outside_the_columns_query(fresh_db):
    """Constraint columns come as numbers and are named from the columns query's rows; a system column
    (tableoid in a check) is looked up in one more query instead of failing."""
    import psycopg

    from schemakit.pg.introspect import QUERY_COUNT, introspect

    with psycopg.connect(**fresh_db, autocommit=True) as conn:
        conn.execute('CREATE TABLE p ("we""ird" int, b int, PRIMARY KEY (b, "we""ird"))')
        conn.execute('CREATE TABLE c (x int, y int, CHECK (tableoid <> 0), FOREIGN KEY (y, x) REFERENCES p (b, "we""ird"))')
        before = QUERY_COUNT[0]
        db = introspect(conn)
        assert QUERY_COUNT[0] - before == 9  # the eight catalog queries and the one for tableoid
    child, parent = db.tables
    assert parent.primary_key.columns == ("b", 'we"ird')
    assert (child.foreign_keys[0].columns, child.foreign_keys[0].ref_columns) == (("y", "x"), ("b", 'we"ird'))
    assert "tableoid" in child.checks[0].expr


def test_bytecode_is_kept_by_the_hash_of_its_source(tmp_path, monkeypatch):
    """An unchanged module's bytecode is read back, an edit (same size, same instant) compiles again,
    a damaged file compiles again, and without a cache folder nothing is kept."""
    import builtins
    import importlib.util

    from schemakit.schema.bytecode import code_of

    compiled: list[str] = []
    real = builtins.compile
    monkeypatch.setattr(builtins, "compile", lambda src, path, *a, **k: compiled.append(path) or real(src, path, *a, **k))
    source, edited, path = b"X = 'aaaa'\n", b"X = 'bbbb'\n", str(tmp_path / "m.py")

    def value(src: bytes, folder) -> str:
        ns: dict = {}
        exec(code_of(path, src, folder), ns)  # noqa: S102 - the module's own code, as an import runs it
        return ns["X"]

    assert [value(source, tmp_path / "c"), value(source, tmp_path / "c")] == ["aaaa", "aaaa"]
    assert len(compiled) == 1
    (pyc,) = (tmp_path / "c" / "pyc").iterdir()
    assert pyc.read_bytes()[:4] == importlib.util.MAGIC_NUMBER and pyc.read_bytes()[8:16] == importlib.util.source_hash(source)
    assert value(edited, tmp_path / "c") == "bbbb" and len(compiled) == 2
    pyc.write_bytes(pyc.read_bytes()[:16] + b"\x00garbage")
    assert value(edited, tmp_path / "c") == "bbbb" and len(compiled) == 3
    pyc.write_bytes(pyc.read_bytes()[:16] + __import__("marshal").dumps(7))  # data, not code
    assert value(edited, tmp_path / "c") == "bbbb" and len(compiled) == 4
    assert [value(source, None), value(source, None)] == ["aaaa", "aaaa"] and len(compiled) == 6


def test_the_canonical_key_of_a_compiled_schema_is_the_digest_of_its_full_json(project):
    """The canonical form's cache is keyed by the compiled-schema cache's digest (the same fields as
    repr(), so as exact) when this process compiled or read that model; any other model by repr()."""
    import hashlib

    import orjson

    from schemakit.schema.cache import digest_of

    load, _, schema, _ = project
    for _ in ("compiled", "read back from the cache"):
        db = load()
        assert digest_of(db) == hashlib.sha256(orjson.dumps(snapshot.plain(db, full=True))).hexdigest()
    copy = snapshot.build(type(db), snapshot.plain(db, full=True))
    assert copy == db and digest_of(copy) is None
    schema.write_text(schema.read_text().replace('"nom"', '"name0"'))  # a rename hint: == ignores it, the key does not
    edited = load()
    assert edited == db and digest_of(edited) not in (None, digest_of(db))
