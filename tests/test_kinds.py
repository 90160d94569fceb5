"""The kind registry (schemakit/kinds.py): every kind has every part, and none is silent on the way
module -> SQL -> database -> pull -> module."""

from __future__ import annotations

import dataclasses
from importlib import resources
from pathlib import Path

import orjson
import psycopg
import pytest

from schemakit import kinds
from schemakit.api import Project
from schemakit.diff import diff
from schemakit.diff.renames import Resolver
from schemakit.pg import canonical, render
from schemakit.pg.introspect import QUERIES, introspect
from schemakit.schema import model, snapshot
from schemakit.schema.cachefiles import model_json
from schemakit.schema.writer import write_module

from .helpers import HEADER, structure

KINDS = [pytest.param(k, id=k.name) for k in kinds.KINDS]
EMPTY = model.build_database(())


def compile_source(tmp: Path, body: str, name: str = "schema.py") -> model.Database:
    path = tmp / name
    path.write_text(HEADER + body)
    return Project([str(path)], tmp / "migrations").load_schema()


def test_every_home_of_an_object_is_some_kinds():
    """A field added to Database or Table (a new kind's home) without a registry entry fails here."""
    homes = {k.path for k in kinds.KINDS}
    for f in dataclasses.fields(model.Database):
        assert (f.name,) in homes, f"Database.{f.name} has no entry in schemakit/kinds.py"
    for f in dataclasses.fields(model.Table):
        if f.name not in ("schema", "name", "renamed_from"):
            assert ("tables", f.name) in homes, f"Table.{f.name} has no entry in schemakit/kinds.py"
    named = {k.model for k in kinds.KINDS} | set(kinds.PARTS)
    for name, value in vars(model).items():
        if isinstance(value, type) and dataclasses.is_dataclass(value) and value.__module__ == model.__name__:
            assert value in named, f"model.{name} is neither a kind nor a part in schemakit/kinds.py"


@pytest.mark.parametrize("kind", KINDS)
def test_kind_has_every_part(kind, tmp_path):
    db = compile_source(tmp_path, kind.sample)
    base = compile_source(tmp_path, kind.base, "base.py")
    found = kinds.objects(db, kind.path)
    assert found and all(isinstance(o, kind.model) for o in found), f"{kind.name}: the sample has none at {kind.path}"
    assert not set(map(repr, kinds.objects(base, kind.path))) >= set(map(repr, found)), f"{kind.name}: base has it too"
    # snapshot: written and read back whole
    text = snapshot.dumps(db, "id", None)
    assert snapshot.loads(text)[0] == db, f"{kind.name}: the snapshot loses it"
    assert model_json(db) == orjson.dumps(snapshot.plain(db, full=True)), f"{kind.name}: cache JSON differs"
    # introspection: a catalog query that fetch() runs
    assert kind.query in QUERIES and resources.files("schemakit.pg").joinpath(f"queries/{kind.query}.sql").is_file()
    # the differ emits the kind's operations, and the renderer has them
    up = diff(base, db, Resolver(no_renames=True)).ops
    down = diff(db, base, Resolver(no_renames=True)).ops
    assert any(isinstance(o, kind.create) for o in up), f"{kind.name}: no {kind.create.__name__} in {up}"
    assert any(isinstance(o, kind.drop) for o in down), f"{kind.name}: no {kind.drop.__name__} in {down}"
    assert render.render_all(up) and render.render_all(down)
    # the pull writer says it, and what it says compiles back to the same schema
    module = write_module(db)
    assert kind.writer in module, f"{kind.name}: db_pull does not write {kind.writer!r}:\n{module}"
    assert compile_source(tmp_path, module.split("\n", 1)[1], "pulled.py") == db, f"{kind.name}: pull -> module loses it"
    # canonicalisation keeps it (and reads back its fragments)
    assert canonical.merge(db, db) == db, f"{kind.name}: pg/canonical.merge drops it"
    if kind.canonical == "fragments":
        assert kinds.objects(canonical.stripped(db), kind.path[:1]), f"{kind.name}: not in the scratch schema"
    else:
        assert kind.canonical == "as written", f"{kind.name}: canonical must be 'fragments' or 'as written'"


@pytest.mark.parametrize("kind", KINDS)
def test_kind_round_trips_through_a_database(kind, tmp_path, fresh_db):
    """module -> SQL -> database -> pull -> module: the same schema, nothing silently left out."""
    want = compile_source(tmp_path, kind.sample)
    sql = render.render_all(diff(EMPTY, want, Resolver(no_renames=True)).ops)
    with psycopg.connect(**fresh_db, autocommit=True) as conn:
        for statement in sql:
            conn.execute(statement.encode())
        live = introspect(conn)
    assert kinds.objects(live, kind.path), f"{kind.name}: introspection does not read it back"
    # as db_push reads a module: compiled, then its SQL fragments spelled by PostgreSQL
    pulled = canonical.canonicalize(fresh_db, compile_source(tmp_path, write_module(live).split("\n", 1)[1], "pulled.py"))
    assert structure(pulled) == structure(live), f"{kind.name}: pulled module differs from the database"
    assert not diff(live, pulled, Resolver(no_renames=True)), f"{kind.name}: push after pull would change it"
    assert len(kinds.objects(pulled, kind.path)) == len(kinds.objects(want, kind.path))
