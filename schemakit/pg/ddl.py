"""SQL of model objects, shared by the operation renderers (render.py) and the scratch build."""

from __future__ import annotations

import dataclasses

from ..diff import ops
from ..diff.types import cast_kind
from ..schema import model
from .quote import ident, literal


def column_sql(c: model.Column) -> str:
    parts = [ident(c.name), c.type]
    if c.identity:
        kind = "ALWAYS" if c.identity.always else "BY DEFAULT"
        parts.append(f"GENERATED {kind} AS IDENTITY{identity_options(c.identity)}")
    if c.generated:
        parts.append(f"GENERATED ALWAYS AS ({c.generated}) STORED")
    if c.default is not None:
        parts.append(f"DEFAULT {c.default}")
    if c.not_null and not c.identity and c.type not in model.SERIAL_TYPES:
        parts.append("NOT NULL")
    return " ".join(parts)


def identity_options(i: model.Identity) -> str:
    opts = []
    if i.start is not None:
        opts.append(f"START WITH {int(i.start)}")
    if i.increment is not None:
        opts.append(f"INCREMENT BY {int(i.increment)}")
    return f" ({' '.join(opts)})" if opts else ""


def column_list(names: tuple[str, ...]) -> str:
    return ", ".join(ident(n) for n in names)


def constraint_sql(c: ops.Constraint) -> str:
    head = f"CONSTRAINT {ident(c.name)} "
    if isinstance(c, model.PrimaryKey):
        return head + f"PRIMARY KEY ({column_list(c.columns)})"
    if isinstance(c, model.Unique):
        nd = "" if c.nulls_distinct else " NULLS NOT DISTINCT"
        return head + f"UNIQUE{nd} ({column_list(c.columns)})"
    if isinstance(c, model.Check):
        return head + f"CHECK ({c.expr})"
    if isinstance(c, model.ForeignKey):
        text = (
            head + f"FOREIGN KEY ({column_list(c.columns)}) REFERENCES {ident(c.ref_schema, c.ref_table)}"
            f" ({column_list(c.ref_columns)})"
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
        text += f" INCLUDE ({column_list(i.include)})"
    if not i.nulls_distinct:
        text += " NULLS NOT DISTINCT"
    if i.where:
        text += f" WHERE {i.where}"
    return text


def sequence_options(s: model.Sequence) -> str:
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
    final = f"ALTER SEQUENCE {seq} {sequence_options(dataclasses.replace(new, min_value=n_lo, max_value=n_hi))}"
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


def view_options(v: model.View) -> list[str]:
    """The WITH (...) options of a plain view (check_option is WITH [LOCAL|CASCADED] CHECK OPTION)."""
    opts = [f"{name} = true" for name in ("security_barrier", "security_invoker") if getattr(v, name)]
    return opts + ([f"check_option = {v.check_option}"] if v.check_option else [])


def cast_using(column: str, old: str, new: str) -> str | None:
    """The USING expression of a change of `column` from type `old` to `new`; None where none is needed."""
    return using_sql(column, cast_kind(old, new), new)


def using_sql(column: str, cast: ops.Cast | None, new_type: str) -> str | None:
    if cast is None:
        return None
    if cast is ops.Cast.VIA_TEXT:
        return f"{ident(column)}::text{'[]' if new_type.endswith('[]') else ''}::{new_type}"
    return f"{ident(column)}::{new_type}"
