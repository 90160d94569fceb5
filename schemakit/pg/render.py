"""One renderer per operation: with ddl.py, the only place DDL text is built."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from typing import Any

from ..diff import ops
from ..schema import model
from .ddl import (
    alter_sequence_sql,
    column_sql,
    constraint_sql,
    identity_options,
    index_sql,
    sequence_options,
    using_sql,
    view_options,
)
from .quote import ident, literal
from .sqltext import is_not_null


def render_all(plan_ops: Iterable[ops.Op]) -> list[str]:
    """Return the SQL statements of several operations, in order."""
    return [s for op in plan_ops for s in _render(op)]


@functools.singledispatch
def _render(op: ops.Op) -> list[str]:
    raise TypeError(f"no renderer for {type(op).__name__}")


@_render.register
def _(op: ops.CreateSchema) -> list[str]:
    return [f"CREATE SCHEMA IF NOT EXISTS {ident(op.name)}"]


@_render.register
def _(op: ops.DropSchema) -> list[str]:
    return [f"DROP SCHEMA {ident(op.name)}"]


@_render.register
def _(op: ops.CreateExtension) -> list[str]:
    # extensions are often installed beforehand by someone allowed to (a DBA, the platform)
    return [f"CREATE EXTENSION IF NOT EXISTS {ident(op.extension.name)} SCHEMA {ident(op.extension.schema)}"]


@_render.register
def _(op: ops.DropExtension) -> list[str]:
    return [f"DROP EXTENSION {ident(op.extension.name)}"]


@_render.register
def _(op: ops.SetExtensionSchema) -> list[str]:
    return [f"ALTER EXTENSION {ident(op.name)} SET SCHEMA {ident(op.schema)}"]


def _enum_values(values: tuple[str, ...]) -> str:
    return ", ".join(literal(v) for v in values)


@_render.register
def _(op: ops.CreateEnum) -> list[str]:
    return [f"CREATE TYPE {ident(*op.enum.key)} AS ENUM ({_enum_values(op.enum.values)})"]


@_render.register
def _(op: ops.DropEnum) -> list[str]:
    return [f"DROP TYPE {ident(*op.enum.key)}"]


@_render.register
def _(op: ops.RenameEnum) -> list[str]:
    return [f"ALTER TYPE {ident(op.schema, op.old)} RENAME TO {ident(op.new)}"]


@_render.register
def _(op: ops.AddEnumValue) -> list[str]:
    text = f"ALTER TYPE {ident(op.schema, op.name)} ADD VALUE {literal(op.value)}"
    if op.before is not None:
        text += f" BEFORE {literal(op.before)}"
    elif op.after is not None:
        text += f" AFTER {literal(op.after)}"
    return [text]


@_render.register
def _(op: ops.RenameEnumValue) -> list[str]:
    return [f"ALTER TYPE {ident(op.schema, op.name)} RENAME VALUE {literal(op.old)} TO {literal(op.new)}"]


@_render.register
def _(op: ops.RecreateEnum) -> list[str]:
    schema, name = op.new.key
    old_name = ops.swapped_name(name)  # dropped by a later DropEnum, once no column uses it
    out = [f"ALTER TYPE {ident(schema, name)} RENAME TO {ident(old_name)}"]
    out += _render(ops.CreateEnum(op.new))
    new_type = ident(schema, name)
    for c in op.columns:
        tbl, col = ident(c.schema, c.table), ident(c.column)
        target = new_type + ("[]" if c.array else "")
        if c.had_default:
            out.append(f"ALTER TABLE {tbl} ALTER COLUMN {col} DROP DEFAULT")
        out.append(f"ALTER TABLE {tbl} ALTER COLUMN {col} SET DATA TYPE {target} USING {col}::text{'[]' if c.array else ''}::{target}")
        if c.default is not None:
            out.append(f"ALTER TABLE {tbl} ALTER COLUMN {col} SET DEFAULT {c.default}")
    return out


@_render.register
def _(op: ops.CreateSequence) -> list[str]:
    return [f"CREATE SEQUENCE {ident(*op.sequence.key)} {sequence_options(op.sequence)}"]


@_render.register
def _(op: ops.DropSequence) -> list[str]:
    return [f"DROP SEQUENCE {ident(*op.sequence.key)}"]


@_render.register
def _(op: ops.AlterSequence) -> list[str]:
    return alter_sequence_sql(op.old, op.new)


@_render.register
def _(op: ops.SetSequenceOwner) -> list[str]:
    owner = ident(*op.owned_by) if op.owned_by else "NONE"
    return [f"ALTER SEQUENCE {ident(op.schema, op.name)} OWNED BY {owner}"]


@_render.register
def _(op: ops.CreateTable) -> list[str]:
    t = op.table
    lines = [column_sql(c) for c in t.columns]
    lines += [constraint_sql(c) for c in t.constraints() if not isinstance(c, model.ForeignKey)]
    body = ",\n".join(f"\t{line}" for line in lines)
    return [f"CREATE TABLE {ident(*t.key)} (\n{body}\n)" if lines else f"CREATE TABLE {ident(*t.key)} ()"]


@_render.register
def _(op: ops.DropTable) -> list[str]:
    return [f"DROP TABLE {ident(*op.table.key)}"]


@_render.register
def _(op: ops.RenameTable) -> list[str]:
    return [f"ALTER TABLE {ident(op.schema, op.old)} RENAME TO {ident(op.new)}"]


def _alter(op: Any, action: str) -> list[str]:
    return [f"ALTER TABLE {ident(op.schema, op.table)} {action}"]


@_render.register
def _(op: ops.AddColumn) -> list[str]:
    return _alter(op, f"ADD COLUMN {column_sql(op.column)}")


@_render.register
def _(op: ops.DropColumn) -> list[str]:
    return _alter(op, f"DROP COLUMN {ident(op.column.name)}")


@_render.register
def _(op: ops.RenameColumn) -> list[str]:
    return _alter(op, f"RENAME COLUMN {ident(op.old)} TO {ident(op.new)}")


@_render.register
def _(op: ops.AlterColumnType) -> list[str]:
    using = f" USING {u}" if (u := using_sql(op.column, op.cast, op.new_type)) else ""
    return _alter(op, f"ALTER COLUMN {ident(op.column)} SET DATA TYPE {op.new_type}{using}")


@_render.register
def _(op: ops.SetNotNull) -> list[str]:
    return _alter(op, f"ALTER COLUMN {ident(op.column)} SET NOT NULL")


@_render.register
def _(op: ops.DropNotNull) -> list[str]:
    return _alter(op, f"ALTER COLUMN {ident(op.column)} DROP NOT NULL")


@_render.register
def _(op: ops.SetDefault) -> list[str]:
    return _alter(op, f"ALTER COLUMN {ident(op.column)} SET DEFAULT {op.default}")


@_render.register
def _(op: ops.DropDefault) -> list[str]:
    return _alter(op, f"ALTER COLUMN {ident(op.column)} DROP DEFAULT")


@_render.register
def _(op: ops.AddIdentity) -> list[str]:
    kind = "ALWAYS" if op.identity.always else "BY DEFAULT"
    return _alter(op, f"ALTER COLUMN {ident(op.column)} ADD GENERATED {kind} AS IDENTITY{identity_options(op.identity)}")


@_render.register
def _(op: ops.DropIdentity) -> list[str]:
    return _alter(op, f"ALTER COLUMN {ident(op.column)} DROP IDENTITY")


@_render.register
def _(op: ops.AlterIdentity) -> list[str]:
    """Only what changed, an option the schema no longer sets back to PostgreSQL's default (so the
    down file undoes the up file); RESTART only when the direction flips (the
    old position is outside the new bounds): otherwise the values already handed out stay."""
    i, o = op.identity, op.old
    inc, old_inc = i.increment or 1, o.increment or 1
    parts = []
    if i.always != o.always:
        parts.append(f"SET GENERATED {'ALWAYS' if i.always else 'BY DEFAULT'}")
    if inc != old_inc:
        parts.append(f"SET INCREMENT BY {int(inc)}")
    flips = (inc > 0) != (old_inc > 0)
    if flips:  # the default bounds follow the direction
        parts += ["SET NO MINVALUE", "SET NO MAXVALUE"]
    if i.start != o.start or (i.start is None and flips):
        start = i.start if i.start is not None else (1 if inc > 0 else -1)
        parts.append(f"SET START WITH {int(start)}")
    if flips:  # the current value lies outside the new bounds: the only RESTART written
        parts.append("RESTART")
    return _alter(op, f"ALTER COLUMN {ident(op.column)} {' '.join(parts)}")


@_render.register
def _(op: ops.DropExpression) -> list[str]:
    return _alter(op, f"ALTER COLUMN {ident(op.column)} DROP EXPRESSION")


@_render.register
def _(op: ops.CommentOnTable) -> list[str]:
    value = "NULL" if op.comment is None else literal(op.comment)
    return [f"COMMENT ON TABLE {ident(op.schema, op.table)} IS {value}"]


@_render.register
def _(op: ops.CommentOnColumn) -> list[str]:
    value = "NULL" if op.comment is None else literal(op.comment)
    return [f"COMMENT ON COLUMN {ident(op.schema, op.table, op.column)} IS {value}"]


@_render.register
def _(op: ops.AddConstraint) -> list[str]:
    not_valid = " NOT VALID" if getattr(op.constraint, "validated", True) is False else ""
    return _alter(op, f"ADD {constraint_sql(op.constraint)}{not_valid}")


@_render.register
def _(op: ops.DropConstraint) -> list[str]:
    return _alter(op, f"DROP CONSTRAINT {ident(op.constraint.name)}")


@_render.register
def _(op: ops.RenameConstraint) -> list[str]:
    return _alter(op, f"RENAME CONSTRAINT {ident(op.old)} TO {ident(op.new)}")


@_render.register
def _(op: ops.CreateIndex) -> list[str]:
    return [index_sql(op.schema, op.table, op.index)]


@_render.register
def _(op: ops.DropIndex) -> list[str]:
    conc = "CONCURRENTLY " if op.index.concurrently else ""
    return [f"DROP INDEX {conc}{ident(op.schema, op.index.name)}"]


@_render.register
def _(op: ops.ReplaceIndex) -> list[str]:
    building = dataclasses.replace(op.new, name=op.temporary, concurrently=True)
    return [
        index_sql(op.schema, op.table, building),
        f"DROP INDEX CONCURRENTLY {ident(op.schema, op.old.name)}",
        f"ALTER INDEX {ident(op.schema, op.temporary)} RENAME TO {ident(op.new.name)}",
    ]


@_render.register
def _(op: ops.RenameIndex) -> list[str]:
    return [f"ALTER INDEX {ident(op.schema, op.old)} RENAME TO {ident(op.new)}"]


@_render.register
def _(op: ops.CreateView) -> list[str]:
    v = op.view
    kind = "MATERIALIZED VIEW" if v.materialized else "VIEW"
    opts = view_options(v)
    with_ = f" WITH ({', '.join(opts)})" if opts else ""
    out = [f"CREATE {kind} {ident(*v.key)}{with_} AS {v.query}"]
    out += [index_sql(v.schema, v.name, i) for i in v.indexes]
    return out


@_render.register
def _(op: ops.AlterViewOptions) -> list[str]:
    out = []
    names = ("security_barrier", "security_invoker", "check_option")
    gone = [n for n in names if getattr(op.old, n) and not getattr(op.new, n)]
    if gone:
        out.append(f"ALTER VIEW {ident(*op.new.key)} RESET ({', '.join(gone)})")
    changed = [o for o in view_options(op.new) if o not in view_options(op.old)]
    if changed:
        out.append(f"ALTER VIEW {ident(*op.new.key)} SET ({', '.join(changed)})")
    return out


@_render.register
def _(op: ops.DropView) -> list[str]:
    kind = "MATERIALIZED VIEW" if op.view.materialized else "VIEW"
    return [f"DROP {kind} {ident(*op.view.key)}"]


@_render.register
def _(op: ops.RenameSequence) -> list[str]:
    return [f"ALTER SEQUENCE {ident(op.schema, op.old)} RENAME TO {ident(op.new)}"]


@_render.register
def _(op: ops.AddSerialSequence) -> list[str]:
    seq, col = ident(op.schema, op.name), ident(op.column)
    shape = model.Sequence(op.schema, op.name, op.type)
    make = f"ALTER SEQUENCE {seq} {sequence_options(shape)}" if op.reuse else f"CREATE SEQUENCE {seq} AS {op.type}"
    return [
        make,
        f"ALTER TABLE {ident(op.schema, op.table)} ALTER COLUMN {col} SET DEFAULT nextval({literal(seq)}::regclass)",
        f"ALTER TABLE {ident(op.schema, op.table)} ALTER COLUMN {col} SET NOT NULL",
        f"ALTER SEQUENCE {seq} OWNED BY {ident(op.schema, op.table, op.column)}",
    ]


@_render.register
def _(op: ops.DropSerialSequence) -> list[str]:
    seq = ident(op.schema, op.name)
    if op.keep is not None:
        serial = model.Sequence(op.keep.schema, op.keep.name, op.keep.type)
        return [f"ALTER SEQUENCE {seq} OWNED BY NONE", *alter_sequence_sql(serial, op.keep)]
    return [f"DROP SEQUENCE {seq}"]


@_render.register
def _(op: ops.AlterSequenceType) -> list[str]:
    return [f"ALTER SEQUENCE {ident(op.schema, op.name)} AS {op.type}"]


@_render.register
def _(op: ops.AddNotNullCheck) -> list[str]:
    return _alter(op, f"ADD CONSTRAINT {ident(op.name)} CHECK ({is_not_null(op.column)}) NOT VALID")


@_render.register
def _(op: ops.ValidateNotNull) -> list[str]:
    return [
        *_alter(op, f"VALIDATE CONSTRAINT {ident(op.name)}"),
        *_alter(op, f"ALTER COLUMN {ident(op.column)} SET NOT NULL"),
        *_alter(op, f"DROP CONSTRAINT {ident(op.name)}"),
    ]


@_render.register
def _(op: ops.SyncSequence) -> list[str]:
    col, tbl = ident(op.column), ident(op.schema, op.table)
    seq = f"pg_get_serial_sequence({literal(tbl)}, {literal(op.column)})"
    return [f"SELECT setval({seq}, coalesce(max({col}), 0) + 1, false) FROM {tbl}"]
