"""Compare one table's columns, constraints and indexes."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from ..pg.sqltext import names, rename_identifier
from ..schema import model
from ..schema.names import check_name, fkey_name, pkey_name, seq_name, unique_name
from . import ops
from .renames import Resolver
from .types import cast_kind, is_narrowing, truncates


@dataclass
class TablePlan:
    """Operations for one matched table, grouped by the pass they belong to."""

    renames: list[ops.Op] = field(default_factory=list)
    drop_fks: list[ops.Op] = field(default_factory=list)
    drop_other: list[ops.Op] = field(default_factory=list)  # indexes, non-FK constraints
    columns: list[ops.Op] = field(default_factory=list)
    add_other: list[ops.Op] = field(default_factory=list)
    add_fks: list[ops.Op] = field(default_factory=list)
    comments: list[ops.Op] = field(default_factory=list)
    touched: bool = False  # a column was dropped or changed type: views over it need recreating
    old: model.Table | None = None  # the old table as it is after renames


@dataclass
class Renames:
    """Every settled rename of tables and columns, so references to them can follow."""

    tables: dict[tuple[str, str], str] = field(default_factory=dict)  # (schema, old) -> new
    columns: dict[tuple[str, str], dict[str, str]] = field(default_factory=dict)  # (schema, new table) -> {old: new}
    types: dict[str, str] = field(default_factory=dict)  # a renamed enum: old type SQL -> new type SQL

    def type(self, type_sql: str) -> str:
        """A column's type after the renames (an enum or an array of one follows its new name)."""
        base = type_sql.removesuffix("[]")
        return self.types.get(base, base) + type_sql[len(base):]

    def ref(self, f: model.ForeignKey) -> tuple[str, tuple[str, ...]]:
        table = self.tables.get((f.ref_schema, f.ref_table), f.ref_table)
        cols = self.columns.get((f.ref_schema, table), {})
        return table, tuple(cols.get(c, c) for c in f.ref_columns)


class _Translation:
    """Names of one old table as they are after this plan's renames; collects the default-named
    constraints whose names follow the table's and columns' new names."""

    def __init__(self, t: model.Table, new_name: str, col_renames: dict[str, str], refs: Renames) -> None:
        self.t, self.new_name, self.col_renames, self.refs = t, new_name, col_renames, refs
        self.renamed: list[tuple[str, str, str]] = []

    def col(self, n: str) -> str:
        return self.col_renames.get(n, n)

    def cols(self, names: tuple[str, ...]) -> tuple[str, ...]:
        return tuple(self.col(n) for n in names)

    def rename(self, name: str, was: str, becomes: str) -> str:
        if name == was and was != becomes:
            self.renamed.append(("constraint", name, becomes))
            return becomes
        return name

    def primary_key(self, pk: model.PrimaryKey | None) -> model.PrimaryKey | None:
        if pk is None:
            return None
        return model.PrimaryKey(self.rename(pk.name, pkey_name(self.t.name), pkey_name(self.new_name)), self.cols(pk.columns))

    def unique(self, u: model.Unique) -> model.Unique:
        name = self.rename(u.name, unique_name(self.t.name, u.columns), unique_name(self.new_name, self.cols(u.columns)))
        return dataclasses.replace(u, name=name, columns=self.cols(u.columns))

    def check(self, c: model.Check) -> model.Check:
        name = c.name
        for old_col in [c0.name for c0 in self.t.columns]:
            name = self.rename(name, check_name(self.t.name, old_col), check_name(self.new_name, self.col(old_col)))
        return dataclasses.replace(c, name=name)

    def foreign_key(self, f: model.ForeignKey) -> model.ForeignKey:
        name = self.rename(f.name, fkey_name(self.t.name, f.columns), fkey_name(self.new_name, self.cols(f.columns)))
        ref_table, ref_columns = self.refs.ref(f)
        return dataclasses.replace(f, name=name, columns=self.cols(f.columns), ref_table=ref_table, ref_columns=ref_columns)

    def index(self, i: model.Index) -> model.Index:
        elements = i.elements
        for o, n in self.col_renames.items():
            elements = tuple(rename_identifier(e, o, n) for e in elements)
        return dataclasses.replace(i, elements=elements, include=self.cols(i.include))


def translate(t: model.Table, new_name: str, col_renames: dict[str, str],
              refs: Renames | None = None) -> tuple[model.Table, list[tuple[str, str, str]]]:
    """Return the old table as it is after renames, and the (kind, old, new) default-name renames."""
    tr = _Translation(t, new_name, col_renames, refs or Renames())
    columns = tuple(dataclasses.replace(c, name=tr.col(c.name), type=tr.refs.type(c.type)) for c in t.columns)
    out = model.Table(t.schema, new_name, columns, tr.primary_key(t.primary_key), tuple(map(tr.unique, t.uniques)),
                      tuple(map(tr.check, t.checks)), tuple(map(tr.foreign_key, t.foreign_keys)),
                      tuple(map(tr.index, t.indexes)), t.comment)
    return out, tr.renamed


def pair_columns(old: model.Table, new: model.Table, resolver: Resolver) -> dict[str, str]:
    """Settle which removed columns of a table were renamed to which added ones: {old: new}."""
    old_names = [c.name for c in old.columns]
    new_names = [c.name for c in new.columns]
    removed = [n for n in old_names if n not in new_names]
    added = [n for n in new_names if n not in old_names]
    hints = {c.name: c.renamed_from for c in new.columns if c.renamed_from}
    return dict(resolver.pair("column", new.schema, (new.name,), removed, added, hints))


def diff_table(old: model.Table, new: model.Table, resolver: Resolver, refs: Renames) -> TablePlan:
    """Plan the changes from `old` to `new` (the same table, perhaps renamed)."""
    plan = TablePlan()
    s, tn = new.schema, new.name
    col_renames = refs.columns.get(new.key, {})
    pairs = list(col_renames.items())
    for o, n in pairs:
        plan.renames.append(ops.RenameColumn(s, tn, o, n))
    old_table = old.name
    old, defaults = translate(old, tn, col_renames, refs)
    plan.old = old
    back = {n: o for o, n in pairs}
    for c in old.columns:  # a serial column's sequence follows the table's and column's names
        was, becomes = seq_name(old_table, back.get(c.name, c.name)), seq_name(tn, c.name)
        if c.type in model.SERIAL_TYPES and was != becomes:
            plan.renames.append(ops.RenameSequence(s, was, becomes))
    _constraints(old, new, resolver, plan, defaults)
    _indexes(old, new, resolver, plan)
    _columns(old, new, plan)
    if old.comment != new.comment:
        plan.comments.append(ops.CommentOnTable(s, tn, new.comment))
    return plan


def _constraints(old: model.Table, new: model.Table, resolver: Resolver, plan: TablePlan, defaults: list) -> None:
    """Default-named constraints follow the table's names; the others pair by name or by rename."""
    s, tn = new.schema, new.name
    for _kind, was, becomes in defaults:
        plan.renames.append(ops.RenameConstraint(s, tn, was, becomes))
    old_cons = {c.name: c for c in old.constraints()}
    new_cons = {c.name: c for c in new.constraints()}
    removed = [n for n in old_cons if n not in new_cons]
    added = [n for n in new_cons if n not in old_cons]
    for o, n in resolver.pair("constraint", s, (tn,), removed, added):
        plan.renames.append(ops.RenameConstraint(s, tn, o, n))
        old_cons[n] = dataclasses.replace(old_cons.pop(o), name=n)
    for name, c in old_cons.items():
        if new_cons.get(name) != c:
            target = plan.drop_fks if isinstance(c, model.ForeignKey) else plan.drop_other
            target.append(ops.DropConstraint(s, tn, c))
    for name, c in new_cons.items():
        if old_cons.get(name) != c:
            target = plan.add_fks if isinstance(c, model.ForeignKey) else plan.add_other
            target.append(ops.AddConstraint(s, tn, c))


def _indexes(old: model.Table, new: model.Table, resolver: Resolver, plan: TablePlan) -> None:
    s, tn = new.schema, new.name
    old_idx = {i.name: i for i in old.indexes}
    new_idx = {i.name: i for i in new.indexes}
    removed = [n for n in old_idx if n not in new_idx]
    added = [n for n in new_idx if n not in old_idx]
    hints = {i.name: i.renamed_from for i in new.indexes if i.renamed_from}
    for o, n in resolver.pair("index", s, (tn,), removed, added, hints):
        plan.renames.append(ops.RenameIndex(s, o, n))
        old_idx[n] = dataclasses.replace(old_idx.pop(o), name=n)
    replaced = set()
    for name, i in new_idx.items():  # a CONCURRENTLY index is rebuilt beside the old one, never missing
        o = old_idx.get(name)
        if o is not None and o != i and (o.concurrently or i.concurrently):
            plan.add_other.append(ops.ReplaceIndex(s, tn, o, dataclasses.replace(i, concurrently=True)))
            replaced.add(name)
    for name, i in old_idx.items():
        if new_idx.get(name) != i and name not in replaced:
            plan.drop_other.append(ops.DropIndex(s, i))
    for name, i in new_idx.items():
        if old_idx.get(name) != i and name not in replaced:
            plan.add_other.append(ops.CreateIndex(s, tn, i))


def _base(type_sql: str) -> str:
    return model.SERIAL_TYPES.get(type_sql, type_sql)


def _regenerated(old: model.Table, new: model.Table) -> list[str]:
    """Generated columns dropped before the other columns change and (if kept) added back after them:
    those dropped, those whose expression changes, those over a column that is dropped or retyped
    (PostgreSQL refuses both while the generated column exists)."""
    changed = {o.name for o in old.columns if (c := new.column(o.name)) is None or _base(c.type) != _base(o.type)}
    out = []
    for o in old.columns:
        c = new.column(o.name)
        if c is None and o.generated or c is not None and c.generated and (
                c.generated != o.generated or names(o.generated or "") & changed):
            out.append(o.name)
    return out


def _columns(old: model.Table, new: model.Table, plan: TablePlan) -> None:
    s, tn = new.schema, new.name
    # ADD PRIMARY KEY sets NOT NULL on its columns itself; a separate step would outlive the key on the way down
    keyed = set(new.primary_key.columns) if new.primary_key and new.primary_key != old.primary_key else set()
    regen = _regenerated(old, new)
    for name in regen:  # dependants first
        o = old.column(name)
        plan.columns.append(ops.DropColumn(s, tn, o, regenerate=bool(o.generated and new.column(name))))
        plan.touched = True
    refresh_dependents(plan, old, new, {n for n in regen if new.column(n)})
    late: list[ops.Op] = []
    # a generated column made plain loses its expression before anything it reads changes
    for c in sorted(new.columns, key=lambda c: not (old.column(c.name) and old.column(c.name).generated and not c.generated)):
        o = old.column(c.name)
        if o is None or c.name in regen:
            (late if c.name in regen else plan.columns).append(ops.AddColumn(s, tn, c))
            if c.comment:
                plan.comments.append(ops.CommentOnColumn(s, tn, c.name, c.comment))
        elif o != c:
            plan.columns += alter_column(ColumnChange(s, tn, o, c, c.name in keyed))
            plan.touched |= _base(o.type) != _base(c.type)
            if o.comment != c.comment:
                plan.comments.append(ops.CommentOnColumn(s, tn, c.name, c.comment))
    for o in old.columns:
        if new.column(o.name) is None and o.name not in regen:
            plan.columns.append(ops.DropColumn(s, tn, o))
            plan.touched = True
    plan.columns += late


def refresh_dependents(plan: TablePlan, old: model.Table, new: model.Table, columns: set[str]) -> None:
    """Drop the unchanged checks and indexes over `columns` before the change and create them again
    after it (in the transaction: they are back when it commits)."""
    if not columns:
        return
    s, tn = new.schema, new.name
    for c in new.checks:
        if c in old.checks and names(c.expr) & columns:
            plan.drop_other.append(ops.DropConstraint(s, tn, c))
            plan.add_other.append(ops.AddConstraint(s, tn, c, fresh=True))  # it held before: no new failure
    for i in new.indexes:
        text = " ".join((*i.elements, i.where or ""))
        if i in old.indexes and (names(text) | set(i.include)) & columns:
            plan.drop_other.append(ops.DropIndex(s, dataclasses.replace(i, concurrently=False)))
            plan.add_other.append(ops.CreateIndex(s, tn, dataclasses.replace(i, concurrently=False), fresh=True))


@dataclass(frozen=True)
class ColumnChange:
    """One column, same name, before and after; `keyed`: a new primary key covers it."""

    schema: str
    table: str
    old: model.Column
    new: model.Column
    keyed: bool = False

    @property
    def name(self) -> str:
        return self.new.name

    @property
    def old_type(self) -> str:
        return _base(self.old.type)

    @property
    def new_type(self) -> str:
        return _base(self.new.type)

    @property
    def type_changes(self) -> bool:
        return self.old_type != self.new_type

    @property
    def default_changes(self) -> bool:
        return self.old.default != self.new.default

    @property
    def stops_serial(self) -> bool:
        return self.old.type in model.SERIAL_TYPES and self.new.type not in model.SERIAL_TYPES

    @property
    def becomes_serial(self) -> bool:
        return self.new.type in model.SERIAL_TYPES and self.old.type not in model.SERIAL_TYPES

    @property
    def gains_identity(self) -> bool:
        return bool(self.new.identity and not self.old.identity)


def _drop_expression(ch: ColumnChange) -> list[ops.Op]:
    """A generated column made plain. A new or changed expression drops and re-adds the column
    instead (_regenerated): PostgreSQL before 17 cannot change one."""
    return [ops.DropExpression(ch.schema, ch.table, ch.name)] if ch.old.generated and not ch.new.generated else []


def _drop_identity(ch: ColumnChange) -> list[ops.Op]:
    """A type change keeps an identity: PostgreSQL retypes its sequence too."""
    return [ops.DropIdentity(ch.schema, ch.table, ch.name)] if ch.old.identity and not ch.new.identity else []


def _drop_default(ch: ColumnChange) -> list[ops.Op]:
    """Before the type changes: the old default may not cast."""
    if ch.old.default is not None and (ch.default_changes or ch.type_changes) or ch.stops_serial:
        return [ops.DropDefault(ch.schema, ch.table, ch.name)]
    return []


def _drop_serial(ch: ColumnChange) -> list[ops.Op]:
    return [ops.DropSerialSequence(ch.schema, seq_name(ch.table, ch.name))] if ch.stops_serial else []


def _change_type(ch: ColumnChange) -> list[ops.Op]:
    if not ch.type_changes:
        return []
    old, new = ch.old_type, ch.new_type
    cast = cast_kind(old, new)
    out: list[ops.Op] = [ops.AlterColumnType(ch.schema, ch.table, ch.name, old, new, cast, is_narrowing(old, new),
                                             truncates(new, cast is not None))]
    if ch.old.type in model.SERIAL_TYPES and ch.new.type in model.SERIAL_TYPES:
        out.append(ops.AlterSequenceType(ch.schema, seq_name(ch.table, ch.name), new))  # it keeps its position
    return out


def _add_serial(ch: ColumnChange) -> list[ops.Op]:
    if not ch.becomes_serial:
        return []
    return [ops.AddSerialSequence(ch.schema, ch.table, ch.name, ch.new_type, seq_name(ch.table, ch.name)),
            ops.SyncSequence(ch.schema, ch.table, ch.name)]


def _set_default(ch: ColumnChange) -> list[ops.Op]:
    """After the type changes: the new default is of the new type."""
    if ch.new.default is not None and (ch.default_changes or ch.type_changes):
        return [ops.SetDefault(ch.schema, ch.table, ch.name, ch.new.default)]
    return []


def _add_or_alter_identity(ch: ColumnChange) -> list[ops.Op]:
    s, tn, name, i = ch.schema, ch.table, ch.name, ch.new.identity
    out: list[ops.Op] = []
    if ch.gains_identity:
        if not ch.old.not_null:  # PostgreSQL wants NOT NULL before ADD GENERATED ... AS IDENTITY
            out.append(ops.SetNotNull(s, tn, name))
        out.append(ops.AddIdentity(s, tn, name, i))
        if i.start is None:  # existing rows already hold values: continue after them
            out.append(ops.SyncSequence(s, tn, name))
    elif i and ch.old.identity and i != ch.old.identity:
        out.append(ops.AlterIdentity(s, tn, name, i, ch.old.identity))
    return out


def _nullability(ch: ColumnChange) -> list[ops.Op]:
    """NOT NULL last; not where ADD PRIMARY KEY, a serial or an identity has set it already."""
    o, c = ch.old, ch.new
    if c.not_null and not o.not_null and not (ch.keyed or ch.becomes_serial or ch.gains_identity):
        return [ops.SetNotNull(ch.schema, ch.table, ch.name, online=not ch.type_changes)]
    if o.not_null and not c.not_null:
        return [ops.DropNotNull(ch.schema, ch.table, ch.name)]
    return []


# What may change about a column, in the order PostgreSQL accepts it: what depends on the old type
# goes first (expression, identity, default, serial sequence), then the type, then what needs the new one.
COLUMN_STEPS = (_drop_expression, _drop_identity, _drop_default, _drop_serial, _change_type, _add_serial,
                _set_default, _add_or_alter_identity, _nullability)


def alter_column(ch: ColumnChange) -> list[ops.Op]:
    """Return the operations that turn column `ch.old` into `ch.new` (comments aside)."""
    return [op for step in COLUMN_STEPS for op in step(ch)]
