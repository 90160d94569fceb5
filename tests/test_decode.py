"""The fast snapshot decoder changes nothing: the same objects as the precise path, the same errors for bad data,
and a snapshot text is validated again unless this very text already passed the same rules."""

from __future__ import annotations

import copy
import json
import random
from dataclasses import replace

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

import schemakit as sk
from schemakit.errors import SchemaError, SnapshotError
from schemakit.schema import model, snapshot, validate
from schemakit.schema.compile import compile_objects

from .test_fast_paths import awkward_db, synthetic_db
from .test_properties import schemas


def precise(data):
    """What build returned before the fast path: the precise path alone, an object or (path, message)."""
    try:
        return snapshot._build(model.Database, data)
    except snapshot.Bad as bad:
        return (bad.path, bad.message)


def fast(data):
    try:
        return snapshot.build(model.Database, data)
    except snapshot.Bad as bad:
        return (bad.path, bad.message)


def reference_loads(text):
    """What snapshot.loads gave before this change (the precise path, validation every time): a Database or a message."""
    try:
        data = orjson.loads(text)
    except ValueError as exc:
        return f"not JSON ({exc})"
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        return "id: expected a string"
    if not isinstance(data.get("parent"), (str, type(None))):
        return "parent: expected a string or null"
    try:
        db = snapshot._build(model.Database, data)
        validate.database(db)
    except snapshot.Bad as bad:
        return f"{bad.path or 'top level'}: {bad.message}"
    except SchemaError as exc:
        return str(exc)
    return db


def kinds_db():
    """Every model class and field kind: identity, sequence owned_by, views with indexes, extensions, renames."""
    mood = sk.Enum("mood", ["a", "b"])
    seq = sk.Sequence("s", start=3, increment=2, min_value=1, max_value=99, cache=5, cycle=True)
    t = sk.Table("t", sk.bigint("id").identity(start=10, increment=5).primary_key(), sk.text("n").not_null().unique(),
                 mood("m"), sk.Index("t_n", sk.sql("lower(n)"), where=sk.sql("id > 0"), include=["m"]),
                 schema="app", comment="c")
    u = sk.Table("u", sk.integer("t_id").references(t.c.id, on_delete="cascade"), schema="app")
    v = sk.View("v", sk.sql("SELECT id FROM app.t"), sk.Index("v_id", "id"), materialized=True, schema="app")
    db = compile_objects([mood, seq, t, u, v, sk.Extension("pgcrypto")])
    # what the language cannot say but the model (a live database, a rename) holds
    t, u = db.tables
    t = replace(t, renamed_from="t_old", columns=(replace(t.columns[0], renamed_from="i"), *t.columns[1:]),
                indexes=tuple(replace(i, concurrently=True, valid=False, renamed_from="x") for i in t.indexes))
    u = replace(u, foreign_keys=tuple(replace(f, deferrable=True, initially_deferred=True, validated=False)
                                      for f in u.foreign_keys))
    (s,) = db.sequences
    return replace(db, tables=(t, u), sequences=(replace(s, owned_by=("app", "t", "id")),),
                   enums=tuple(replace(e, renamed_from="feeling") for e in db.enums))


FIXED = [synthetic_db(20), awkward_db(), kinds_db()]


@pytest.mark.parametrize("db", FIXED, ids=["synthetic", "awkward", "kinds"])
@pytest.mark.parametrize("full", [False, True], ids=["snapshot", "full"])
def test_fast_equals_precise(db, full):
    data = orjson.loads(orjson.dumps(snapshot.plain(db, full=full)))
    got, ref = fast(data), precise(data)
    assert got == ref == db
    assert snapshot.plain(got, full=True) == snapshot.plain(ref, full=True)
    if full:
        assert snapshot.plain(got, full=True) == snapshot.plain(db, full=True)  # renames and CONCURRENTLY kept


@settings(max_examples=40, deadline=None, suppress_health_check=list(HealthCheck))
@given(db=schemas(), full=st.booleans())
def test_fast_equals_precise_random(db, full):
    data = orjson.loads(orjson.dumps(snapshot.plain(db, full=full)))
    got = fast(data)
    assert got == precise(data) == db
    assert snapshot.plain(got, full=True) == snapshot.plain(precise(data), full=True)


class Text(str):
    pass


class Number(int):
    pass


ODD = [None, True, False, 0, 1, -1, 2**70, 1.0, 1.5, "", "x", "\x00", Text("n"), Number(3), [], [1], ["a"], ["a", 1],
       ("a",), (), {}, {"name": "x"}, {"a": 1}, [{}], [None], ["s", "t", "c"], float("nan")]


def _paths(node, prefix=()):
    yield prefix
    items = node.items() if isinstance(node, dict) else enumerate(node) if isinstance(node, list) else ()
    for k, v in items:
        yield from _paths(v, (*prefix, k))


def _mutated(data, rng: random.Random):
    doc = copy.deepcopy(data)
    where = rng.choice([p for p in _paths(doc) if p])
    parent = doc
    for k in where[:-1]:
        parent = parent[k]
    how = rng.random()
    if how < 0.15 and isinstance(parent, dict):
        del parent[where[-1]]
    elif how < 0.25 and isinstance(parent, dict):
        parent["unknown_" + str(where[-1])] = rng.choice(ODD)  # an unknown key is ignored by both paths
    else:
        parent[where[-1]] = rng.choice(ODD)
    return doc


@pytest.mark.parametrize("db", FIXED, ids=["synthetic", "awkward", "kinds"])
@pytest.mark.parametrize("full", [False, True], ids=["snapshot", "full"])
def test_bad_data_same_error_or_object(db, full):
    data = snapshot.plain(db, full=full)
    rng = random.Random(12)
    for _ in range(300):
        doc = _mutated(data, rng)
        got, ref = fast(doc), precise(doc)
        assert got == ref, doc
        if not isinstance(got, tuple):
            assert snapshot.plain(got, full=True) == snapshot.plain(ref, full=True)


@settings(max_examples=60, deadline=None, suppress_health_check=list(HealthCheck))
@given(db=schemas(), seed=st.integers(0, 2**32))
def test_bad_data_same_error_or_object_random(db, seed):
    doc = _mutated(snapshot.plain(db), random.Random(seed))
    assert fast(doc) == precise(doc)


def test_a_column_is_never_shared_with_an_equal_looking_one():
    """True == 1 and "a" == Text("a"): the shared columns are keyed by value and type."""
    good = {"columns": [{"name": "a", "type": "text", "not_null": True}], "name": "t", "schema": "public"}
    assert fast({"tables": [good]}).tables[0].columns[0].not_null is True
    for value in (1, 1.0):
        bad = {"tables": [{**good, "columns": [{**good["columns"][0], "not_null": value}]}]}
        assert fast(bad) == precise(bad) == ("tables[0].columns[0].not_null", f"expected bool, got {value!r}")
    sub = {"tables": [{**good, "columns": [{**good["columns"][0], "name": Text("a")}]}]}
    assert type(fast(sub).tables[0].columns[0].name) is Text  # the precise path took it, as before


@pytest.mark.parametrize("db", FIXED, ids=["synthetic", "awkward", "kinds"])
def test_loads_errors_unchanged(db, tmp_path, monkeypatch):
    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", str(tmp_path))
    text = snapshot.dumps(db, "a", None)
    data = json.loads(text)
    rng = random.Random(7)
    for _ in range(150):
        bad = json.dumps(_mutated(data, rng))
        want = reference_loads(bad)
        try:
            got = snapshot.loads(bad)[0]
        except SnapshotError as exc:
            got = str(exc)
        assert got == want, bad


def _memos(folder):
    return sorted((folder / "valid").glob("*.json")) if (folder / "valid").is_dir() else []


def test_a_validated_text_is_not_validated_again(tmp_path, monkeypatch):
    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", str(tmp_path))
    db = kinds_db()
    text = snapshot.dumps(db, "a", None)
    assert snapshot.loads(text)[0] == db and len(_memos(tmp_path)) == 1

    def refuse(db):
        raise SchemaError("validated again")

    monkeypatch.setattr(validate, "database", refuse)
    assert snapshot.loads(text)[0] == db  # the memo: no second validation
    other = snapshot.dumps(db, "b", None)  # another text, even of the same schema: validated
    with pytest.raises(SnapshotError, match="validated again"):
        snapshot.loads(other)
    assert len(_memos(tmp_path)) == 1


def test_an_invalid_text_is_never_remembered(tmp_path, monkeypatch):
    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", str(tmp_path))
    data = json.loads(snapshot.dumps(kinds_db(), "a", None))
    data["tables"][0]["checks"] = [{"name": "k", "expr": "1); DROP TABLE t; SELECT (1"}]
    for _ in range(2):
        with pytest.raises(SnapshotError, match="check k"):
            snapshot.loads(json.dumps(data))
    assert _memos(tmp_path) == []


def test_cache_off_validates_every_time(tmp_path, monkeypatch):
    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", "off")
    text = snapshot.dumps(kinds_db(), "a", None)
    snapshot.loads(text)
    calls = []
    monkeypatch.setattr(validate, "database", calls.append)
    snapshot.loads(text)
    snapshot.loads(text)
    assert len(calls) == 2 and not any(tmp_path.iterdir())


def test_a_damaged_memo_validates_again(tmp_path, monkeypatch):
    monkeypatch.setenv("SCHEMAKIT_CACHE_DIR", str(tmp_path))
    text = snapshot.dumps(kinds_db(), "a", None)
    snapshot.loads(text)
    (memo,) = _memos(tmp_path)
    memo.write_bytes(b"{}\n")
    calls = []
    monkeypatch.setattr(validate, "database", calls.append)
    snapshot.loads(text)
    assert len(calls) == 1
