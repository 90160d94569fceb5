"""Every object kind schemakit manages, and the parts each needs: the checklist for adding one.

A kind lives in the model (`schema/model.py`), is written to snapshots (`schema/snapshot.py`, by its
dataclass fields), read back by a catalog query (`pg/queries/<query>.sql`), created and dropped by
operations the differ emits (`diff/phases.py`) and `pg/render.py` renders, written back as schema
language by db_pull (`schema/writer.py`), and canonicalised (`pg/canonical.py`): its SQL fragments
read back from PostgreSQL, or taken as written. `tests/test_kinds.py` walks this list and fails when
a part is missing; a kind missing from it fails there too (every field of Database and Table must be
some kind's home).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from .diff import ops
from .schema import model


@dataclass(frozen=True)
class Kind:
    name: str
    model: type  # the model value of one object (str for a schema name or a comment)
    path: tuple[str, ...]  # where objects live, from Database: ("tables", "checks")
    query: str  # the catalog query that reads it back: pg/queries/<query>.sql
    create: type[ops.Op]  # the operation that creates it on an existing database
    drop: type[ops.Op]  # ... and the one that removes it
    writer: str  # what db_pull writes for it in the schema language
    canonical: str  # "fragments": PostgreSQL respells its SQL text (pg/canonical.py); "as written"
    sample: str  # schema-language source holding one object of the kind
    base: str = ""  # the same source without the object (what `create` turns into `sample`)


_T = 'Table("t", integer("id"))\n'
_TT = 'Table("t", integer("id"), text("name"))\n'

KINDS: tuple[Kind, ...] = (
    Kind("schema", str, ("schemas",), "schemas", ops.CreateSchema, ops.DropSchema, "Schema(", "as written",
         'app = Schema("app")\n'),
    Kind("extension", model.Extension, ("extensions",), "extensions", ops.CreateExtension, ops.DropExtension,
         "Extension(", "as written", 'x = Extension("pg_trgm")\n'),
    Kind("enum", model.Enum, ("enums",), "enums", ops.CreateEnum, ops.DropEnum, "Enum(", "as written",
         'mood = Enum("mood", ["sad", "ok"])\n'),
    Kind("sequence", model.Sequence, ("sequences",), "sequences", ops.CreateSequence, ops.DropSequence,
         "Sequence(", "as written", 's = Sequence("counter", start=10)\n'),
    Kind("table", model.Table, ("tables",), "relations", ops.CreateTable, ops.DropTable, "Table(", "fragments",
         't = ' + _T),
    Kind("column", model.Column, ("tables", "columns"), "columns", ops.AddColumn, ops.DropColumn, 'text("name")',
         "fragments", 't = Table("t", integer("id"), text("name").default("x"))\n', 't = ' + _T),
    Kind("primary key", model.PrimaryKey, ("tables", "primary_key"), "constraints", ops.AddConstraint,
         ops.DropConstraint, ".primary_key()", "as written", 't = Table("t", integer("id").primary_key())\n',
         't = ' + _T),
    Kind("unique", model.Unique, ("tables", "uniques"), "constraints", ops.AddConstraint, ops.DropConstraint,
         ".unique()", "as written", 't = Table("t", integer("id").unique())\n', 't = ' + _T),
    Kind("check", model.Check, ("tables", "checks"), "constraints", ops.AddConstraint, ops.DropConstraint,
         "Check(", "fragments", 't = Table("t", integer("id"), Check("t_pos", sql("id > 0")))\n', 't = ' + _T),
    Kind("foreign key", model.ForeignKey, ("tables", "foreign_keys"), "constraints", ops.AddConstraint,
         ops.DropConstraint, ".references(", "as written",
         'p = Table("p", integer("id").primary_key())\nt = Table("t", integer("id").references(p.c.id))\n',
         'p = Table("p", integer("id").primary_key())\nt = ' + _T),
    Kind("index", model.Index, ("tables", "indexes"), "indexes", ops.CreateIndex, ops.DropIndex, "Index(",
         "fragments", 't = Table("t", integer("id"), text("name"), Index("t_name", sql("lower(name)")))\n',
         't = ' + _TT),
    Kind("view", model.View, ("views",), "relations", ops.CreateView, ops.DropView, "View(", "fragments",
         't = ' + _T + 'v = View("v", sql("SELECT id FROM t"))\n', 't = ' + _T),
    Kind("table comment", str, ("tables", "comment"), "relations", ops.CommentOnTable, ops.CommentOnTable,
         "comment=", "as written", 't = Table("t", integer("id"), comment="rows")\n', 't = ' + _T),
    Kind("column comment", str, ("tables", "columns", "comment"), "columns", ops.CommentOnColumn,
         ops.CommentOnColumn, ".comment(", "as written", 't = Table("t", integer("id").comment("key"))\n',
         't = ' + _T),
)

# model values that are parts of a kind, never objects of their own
PARTS = (model.Identity, model.Database)


def objects(db: model.Database, path: tuple[str, ...]) -> list[Any]:
    """The values at `path` in `db` (tuples flattened, None left out)."""
    items: list[Any] = [db]
    for name in path:
        values = [getattr(item, name) for item in items]
        items = [x for v in values for x in (v if isinstance(v, tuple) else (v,)) if x is not None]
    return items
