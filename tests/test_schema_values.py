"""Free-form parts of the schema language that are not SQL expressions are refused when compiled
or when a snapshot is loaded, with a SchemaError naming the object."""

from __future__ import annotations

import dataclasses

import pytest

from schemakit import Extension, Index, Sequence, Table, integer
from schemakit.errors import SchemaError, SnapshotError
from schemakit.schema import model, snapshot
from schemakit.schema.compile import compile_objects


@pytest.mark.parametrize("objects, message", [
    pytest.param(lambda: [Table("t", integer("i"), Index("t_i", "i", using="btree (i); DROP TABLE t; --"))],
                 "table public.t, index t_i: using='btree (i); drop table t; --' is not an index method", id="using"),
    pytest.param(lambda: [Sequence("s", type="bigint; DROP TABLE t")],
                 "sequence public.s: type is smallint, integer or bigint, got 'bigint; DROP TABLE t'", id="sequence-type"),
    pytest.param(lambda: [Extension("x" * 64)], f"extension {'x' * 64}: identifier", id="extension-name"),
])
def test_compile_refuses(objects, message):
    with pytest.raises(SchemaError) as exc:
        compile_objects(objects())
    assert message in str(exc.value)


def _edited_snapshot(db: model.Database) -> str:
    return snapshot.dumps(db, "id", None)


def test_snapshot_refuses_a_view_option_that_is_not_one():
    view = model.View("public", "v", "SELECT 1", check_option="local")
    text = _edited_snapshot(model.build_database((), views=[view])).replace('"local"', '"local) AS SELECT 1; --"')
    with pytest.raises(SnapshotError, match=r"view public\.v: check_option is \"local\" or \"cascaded\""):
        snapshot.loads(text)


def test_snapshot_refuses_an_extension_name_postgresql_would_cut():
    db = model.build_database((), extensions=[dataclasses.replace(model.Extension("citext"), name="x" * 64)])
    with pytest.raises(SnapshotError, match="extension x{64}: identifier"):
        snapshot.loads(_edited_snapshot(db))
