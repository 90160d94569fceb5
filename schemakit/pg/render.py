"""The only place DDL text is built: one renderer per operation."""

from __future__ import annotations

import dataclasses
import functools
from collections.abc import Iterable
from typing import Any

from ..diff import ops
from ..diff.types import cast_kind
from ..schema import model
from .quote import ident, literal
from .sqltext import is_not_null


def render_all(plan_ops: Iterable[ops.Op]) -> list[str]:
    """Return the SQL statements of several operations, in order."""
    return [s for op in plan_ops for s in _render(op)]


@functools.singledispatch
def _render(op: ops.Op) -> list[str]:
    raise TypeError(f"no renderer for {type(op).__name__}")


def column_sql(c: model.Column) -> str:
    parts = [ident(c.name), c.type]
    if c.identity:
        kind = "ALWAYS" if c.identity.always else "BY DEFAULT"
        parts.append(f"GENERATED {kind} AS IDENTITY{_identity_options(c.identity)}")
    if c.generated:
        parts.append(f"GENERATED ALWAYS AS ({c.generated}) STORED")
    if c.default is not None:
        parts.append(f"DEFAULT {c.default}")
    if c.not_null and not c.identity and c.type not in model.SERIAL_TYPES:
        parts.append("NOT NULL")
    return " ".join(parts)


def _identity_options(i: model.Identity) -> str:
    opts = []
    if i.start is not None:
        opts.append(f"START WITH {int(i.start)}")
    if i.increment is not None:
        opts.append(f"INCREMENT BY {int(i.increment)}")
    return f" ({' '.join(opts)})" if opts else ""


def _cols(names: tuple[str, ...]) -> str:
    return ", ".join(ident(n) for n in names)


def constraint_sql(c: ops.Constraint) -> str:
    head = f"CONSTRAINT {ident(c.name)} "
    if isinstance(c, model.PrimaryKey):
        return head + f"PRIMARY KEY ({_cols(c.columns)})"
    if isinstance(c, model.Unique):
        nd = "" if c.nulls_distinct else " NULLS NOT DISTINCT"
        return head + f"UNIQUE{nd} ({_cols(c.columns)})"
    if isinstance(c, model.Check):
        return head + f"CHECK ({c.expr})"
    if isinstance(c, model.ForeignKey):
        text = (
            head + f"FOREIGN KEY ({_cols(c.columns)}) REFERENCES {ident(c.ref_schema, c.ref_table)}"
            f" ({_cols(c.ref_columns)})"
        )
        if c.on_delete != "no action":
            text += f" ON DELETE {c.on_delete.upper()}"
        if c.on_update != "no action":
            text += f" ON UPDATE {c.on_update.upper()}"
        if c.deferrable:
            text += " DEFERRABLE INITIALLY " + ("DEFERRED" if c.initially_deferred else "IMMEDIATE")
        return text
    raise TypeError(f"unknown constraint {c!r}")


SCRATCH_KEY = "__schemakit_scratch_key"


def storage_free_table_sql(t: model.Table) -> str:
    """A partitioned (so storage-free, and cheap) copy of a table, for reading SQL fragments back."""
    lines = [column_sql(c) for c in t.columns] + [f"{ident(SCRATCH_KEY)} integer"]
    lines += [constraint_sql(c) for c in t.checks]
    body = ",\n\t".join(lines)
    return f"CREATE TABLE {ident(*t.key)} (\n\t{body}\n) PARTITION BY LIST ({ident(SCRATCH_KEY)})"


def index_sql(schema: str, table: str, i: model.Index) -> str:
    unique = "UNIQUE " if i.unique else ""
    conc = "CONCURRENTLY " if i.concurrently else ""
    text = f"CREATE {unique}INDEX {conc}{ident(i.name)} ON {ident(schema, table)} USING {i.using} ({', '.join(i.elements)})"
    if i.include:
        text += f" INCLUDE ({_cols(i.include)})"
    if not i.nulls_distinct:
        text += " NULLS NOT DISTINCT"
    if i.where:
        text += f" WHERE {i.where}"
    return text


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


def _sequence_options(s: model.Sequence) -> str:
    """Every option spelled out, so that ALTER SEQUENCE also puts defaults back."""
    inc = 1 if s.increment is None else s.increment
    start = s.start
    if start is None:
        start = (1 if s.min_value is None else s.min_value) if inc > 0 else (-1 if s.max_value is None else s.max_value)
    opts = [f"AS {s.type}", f"INCREMENT BY {int(inc)}"]
    opts.append("NO MINVALUE" if s.min_value is None else f"MINVALUE {int(s.min_value)}")
    opts.append("NO MAXVALUE" if s.max_value is None else f"MAXVALUE {int(s.max_value)}")
    opts += [f"START WITH {int(start)}", f"CACHE {int(1 if s.cache is None else s.cache)}"]
    opts.append("CYCLE" if s.cycle else "NO CYCLE")
    return " ".join(opts)


@_render.register
def _(op: ops.CreateSequence) -> list[str]:
    return [f"CREATE SEQUENCE {ident(*op.sequence.key)} {_sequence_options(op.sequence)}"]


@_render.register
def _(op: ops.DropSequence) -> list[str]:
    return [f"DROP SEQUENCE {ident(*op.sequence.key)}"]


@_render.register
def _(op: ops.AlterSequence) -> list[str]:
    return alter_sequence_sql(op.old, op.new)


_TYPE_ORDER = ("smallint", "integer", "bigint")


def alter_sequence_sql(old: model.Sequence, new: model.Sequence) -> list[str]:
    """ALTER SEQUENCE that is valid wherever the sequence stands, never resetting a used one.

    PostgreSQL refuses new bounds that exclude the current value, and a RESTART would reuse values.
    So when the bounds narrow or the start changes: widen to hold both ranges (if the new one is not
    inside the old), move the current value inside the new range only if it lies outside (an unused
    sequence goes to the new start, as a fresh one would), then set the final options.
    """
    seq = ident(*new.key)
    (o_lo, o_hi), (n_lo, n_hi) = model.sequence_bounds(old), model.sequence_bounds(new)
    # bounds spelled out: with AS, NO MINVALUE can take the new type's minimum even for an ascending sequence
    final = f"ALTER SEQUENCE {seq} {_sequence_options(dataclasses.replace(new, min_value=n_lo, max_value=n_hi))}"
    start = model.sequence_start(new)
    if n_lo <= o_lo and o_hi <= n_hi and model.sequence_start(old) == start:  # the current value stays valid
        return [final]
    out = []
    if not (o_lo <= n_lo and n_hi <= o_hi):
        wide = max(old.type, new.type, key=lambda t: _TYPE_ORDER.index(t) if t in _TYPE_ORDER else 2)
        out.append(f"ALTER SEQUENCE {seq} AS {wide} MINVALUE {min(o_lo, n_lo)} MAXVALUE {max(o_hi, n_hi)}")
    value = f"CASE WHEN is_called THEN least(greatest(last_value, {n_lo}), {n_hi}) ELSE {start} END"
    called = f"is_called AND last_value BETWEEN {n_lo} AND {n_hi}"
    out.append(f"SELECT setval({literal(seq)}::regclass, ({value})::bigint, {called}) FROM {seq}")
    return [*out, final]


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


def cast_using(column: str, old: str, new: str) -> str | None:
    """The USING expression of a change of `column` from type `old` to `new`; None where none is needed."""
    return using_sql(column, cast_kind(old, new), new)


def using_sql(column: str, cast: ops.Cast | None, new_type: str) -> str | None:
    if cast is None:
        return None
    if cast is ops.Cast.VIA_TEXT:
        return f"{ident(column)}::text{'[]' if new_type.endswith('[]') else ''}::{new_type}"
    return f"{ident(column)}::{new_type}"


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
    return _alter(op, f"ALTER COLUMN {ident(op.column)} ADD GENERATED {kind} AS IDENTITY{_identity_options(op.identity)}")


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


def view_options(v: model.View) -> list[str]:
    """The WITH (...) options of a plain view (check_option is WITH [LOCAL|CASCADED] CHECK OPTION)."""
    opts = [f"{name} = true" for name in ("security_barrier", "security_invoker") if getattr(v, name)]
    return opts + ([f"check_option = {v.check_option}"] if v.check_option else [])


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
    make = f"ALTER SEQUENCE {seq} {_sequence_options(shape)}" if op.reuse else f"CREATE SEQUENCE {seq} AS {op.type}"
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
