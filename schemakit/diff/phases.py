"""The differ's order, as data: named phases, each turning a Comparison into its operations."""

from __future__ import annotations

import dataclasses
from collections.abc import Callable

from ..schema import model
from . import ops
from .compare import Comparison
from .ops import swapped_name


def create_schemas(c: Comparison) -> list[ops.Op]:
    return [ops.CreateSchema(s) for s in c.new.schemas if s not in c.old.schemas]


def create_extensions(c: Comparison) -> list[ops.Op]:
    """Early: an extension's types may be used by enums, sequences and tables."""
    old_ext = {e.name: e for e in c.old.extensions}
    out: list[ops.Op] = [ops.CreateExtension(e) for e in c.new.extensions if e.name not in old_ext]
    return out + [ops.SetExtensionSchema(e.name, e.schema) for e in c.new.extensions
                  if e.name in old_ext and old_ext[e.name].schema != e.schema]


def rename(c: Comparison) -> list[ops.Op]:
    """Renames before anything else refers to the objects by their new names."""
    out: list[ops.Op] = [ops.RenameEnum(*r) for r in c.enum_renames]
    out += [ops.RenameTable(*r) for r in c.table_renames]
    out += c.enums.renames
    return out + [op for p in c.plans.values() for op in p.renames]


def drop_views(c: Comparison) -> list[ops.Op]:
    """Dependents go before what they depend on: views first."""
    return c.view_drops


def release_sequences(c: Comparison) -> list[ops.Op]:
    """A drop takes the sequences its columns own: keep the ones the new schema still has."""
    return [ops.SetSequenceOwner(*k, None) for k in sorted(c.taken & c.kept_sequences)]


def drop_foreign_keys(c: Comparison) -> list[ops.Op]:
    out: list[ops.Op] = [ops.DropConstraint(t.schema, t.name, fk) for t in c.dropped_tables for fk in t.foreign_keys]
    return out + [op for p in c.plans.values() for op in p.drop_fks]


def drop_constraints_and_indexes(c: Comparison) -> list[ops.Op]:
    return [op for p in c.plans.values() for op in p.drop_other]


def drop_tables(c: Comparison) -> list[ops.Op]:
    return [ops.DropTable(t) for t in c.dropped_tables]


def create_enums(c: Comparison) -> list[ops.Op]:
    """Types before the tables that use them."""
    out: list[ops.Op] = [ops.CreateEnum(e) for e in c.new.enums if e.key not in c.enum_match]
    return out + c.enums.adds


def create_and_alter_sequences(c: Comparison) -> list[ops.Op]:
    old = {s.key: s for s in c.old.sequences}
    out: list[ops.Op] = []
    for s in c.new.sequences:
        o = old.get(s.key)
        if o is None:
            out.append(ops.CreateSequence(dataclasses.replace(s, owned_by=None)))
        elif dataclasses.replace(o, owned_by=None) != dataclasses.replace(s, owned_by=None):
            out.append(ops.AlterSequence(o, s))
    return out


def swap_enums(c: Comparison) -> list[ops.Op]:
    """Before the columns change: a column may take one of the new values."""
    return list(c.enums.swaps)


def _twins(t: model.Table) -> list[model.Unique]:
    """PostgreSQL silently skips a UNIQUE that repeats the primary key inside CREATE TABLE."""
    return [u for u in t.uniques if t.primary_key and u.columns == t.primary_key.columns]


def create_tables(c: Comparison) -> list[ops.Op]:
    """Without foreign keys and indexes: those come once every table exists."""
    out: list[ops.Op] = []
    for t in c.created_tables:
        twins = _twins(t)
        out.append(ops.CreateTable(dataclasses.replace(
            t, foreign_keys=(), indexes=(), uniques=tuple(u for u in t.uniques if u not in twins))))
    return out


def change_columns(c: Comparison) -> list[ops.Op]:
    return [op for p in c.plans.values() for op in p.columns]


def add_constraints_and_indexes(c: Comparison) -> list[ops.Op]:
    out: list[ops.Op] = []
    for t in c.created_tables:
        out += [ops.AddConstraint(t.schema, t.name, u, fresh=True) for u in _twins(t)]
        out += [ops.CreateIndex(t.schema, t.name, i, fresh=True) for i in t.indexes]
    return out + [op for p in c.plans.values() for op in p.add_other]


def add_foreign_keys(c: Comparison) -> list[ops.Op]:
    """Last among constraints: the key they reference exists by now."""
    out: list[ops.Op] = [ops.AddConstraint(t.schema, t.name, fk, fresh=True)
                         for t in c.created_tables for fk in t.foreign_keys]
    return out + [op for p in c.plans.values() for op in p.add_fks]


def set_sequence_owners(c: Comparison) -> list[ops.Op]:
    old = {s.key: s for s in c.old.sequences}
    out: list[ops.Op] = []
    for s in c.new.sequences:
        o = old.get(s.key)
        if (o.owned_by if o and s.key not in c.taken else None) != s.owned_by:
            out.append(ops.SetSequenceOwner(s.schema, s.name, s.owned_by))
    return out


def drop_enums(c: Comparison) -> list[ops.Op]:
    """Once no column uses them: the old halves of swaps, then removed enums."""
    out: list[ops.Op] = [ops.DropEnum(model.Enum(s.new.schema, swapped_name(s.new.name), ())) for s in c.enums.swaps]
    kept = {id(e) for e in c.enum_match.values()}
    return out + [ops.DropEnum(e) for e in c.old.enums if id(e) not in kept]


def drop_sequences(c: Comparison) -> list[ops.Op]:
    return [ops.DropSequence(s) for s in c.old.sequences if s.key not in c.kept_sequences and s.key not in c.taken]


def create_views(c: Comparison) -> list[ops.Op]:
    return c.view_creates


def drop_extensions(c: Comparison) -> list[ops.Op]:
    """Once no column uses one of their types."""
    new_ext = {e.name for e in c.new.extensions}
    return [ops.DropExtension(e) for e in c.old.extensions if e.name not in new_ext]


def comment(c: Comparison) -> list[ops.Op]:
    out: list[ops.Op] = []
    for t in c.created_tables:
        if t.comment:
            out.append(ops.CommentOnTable(t.schema, t.name, t.comment))
        out += [ops.CommentOnColumn(t.schema, t.name, col.name, col.comment) for col in t.columns if col.comment]
    return out + [op for p in c.plans.values() for op in p.comments]


def drop_schemas(c: Comparison) -> list[ops.Op]:
    return [ops.DropSchema(s) for s in c.old.schemas if s not in c.new.schemas]


Phase = Callable[[Comparison], list[ops.Op]]

# The order of a plan: schemas and extensions, renames, drop dependents before what they depend on,
# types and sequences before tables, tables before their columns, constraints and indexes, then drop
# what nothing uses any more and recreate dependents.
PHASES: tuple[tuple[str, Phase], ...] = (
    ("create schemas", create_schemas),
    ("create extensions", create_extensions),
    ("rename", rename),
    ("drop views", drop_views),
    ("release sequences", release_sequences),
    ("drop foreign keys", drop_foreign_keys),
    ("drop constraints and indexes", drop_constraints_and_indexes),
    ("drop tables", drop_tables),
    ("create enums", create_enums),
    ("create and alter sequences", create_and_alter_sequences),
    ("swap enums", swap_enums),
    ("create tables", create_tables),
    ("change columns", change_columns),
    ("add constraints and indexes", add_constraints_and_indexes),
    ("add foreign keys", add_foreign_keys),
    ("set sequence owners", set_sequence_owners),
    ("drop enums", drop_enums),
    ("drop sequences", drop_sequences),
    ("create views", create_views),
    ("drop extensions", drop_extensions),
    ("comment", comment),
    ("drop schemas", drop_schemas),
)


def run(c: Comparison) -> list[ops.Op]:
    """Every phase's operations, in order, then a serial's sequence reused where it would be recreated."""
    return reuse_sequences([op for _name, phase in PHASES for op in phase(c)])


def reuse_sequences(out: list[ops.Op]) -> list[ops.Op]:
    """A serial's sequence that becomes a standalone one (or back) is kept, not dropped and recreated."""
    drops = {(o.schema, o.name): o for o in out if isinstance(o, ops.DropSerialSequence)}
    creates = {o.sequence.key: o for o in out if isinstance(o, ops.CreateSequence)}
    serials = {(o.schema, o.name): o for o in out if isinstance(o, ops.AddSerialSequence)}
    explicit_drops = {o.sequence.key: o for o in out if isinstance(o, ops.DropSequence)}
    replaced: dict[int, ops.Op | None] = {}
    for key, create in creates.items():
        if key in drops:
            replaced[id(create)] = None
            replaced[id(drops[key])] = dataclasses.replace(drops[key], keep=create.sequence)
    for key, add in serials.items():
        if key in explicit_drops:
            replaced[id(explicit_drops[key])] = None
            replaced[id(add)] = dataclasses.replace(add, reuse=True)
    return [r for o in out if (r := replaced.get(id(o), o)) is not None]
