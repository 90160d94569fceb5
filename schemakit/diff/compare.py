"""Settle what each new object was before (renames included) and what changes: the facts the phases emit from."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from ..pg.quote import qualified_name
from ..schema import model
from . import ops
from .order import mentions, view_order
from .renames import Resolver
from .tables import Renames, TablePlan, diff_table, pair_columns, refresh_dependents


@dataclass
class EnumChanges:
    renames: list[ops.Op] = field(default_factory=list)  # RenameEnumValue
    adds: list[ops.Op] = field(default_factory=list)  # AddEnumValue
    swaps: list[ops.RecreateEnum] = field(default_factory=list)  # values removed or reordered
    swapped: set[str] = field(default_factory=set)  # the type SQL of each swapped enum


@dataclass
class Comparison:
    """Old and new schema paired up; every rename settled (the resolver is asked here, and only here)."""

    old: model.Database
    new: model.Database
    resolver: Resolver
    enum_match: dict = field(default_factory=dict)  # new key -> old enum
    enum_renames: list = field(default_factory=list)  # (schema, old, new)
    table_match: dict = field(default_factory=dict)  # new key -> old table
    table_renames: list = field(default_factory=list)
    refs: Renames = field(default_factory=Renames)
    plans: dict[tuple[str, str], TablePlan] = field(default_factory=dict)  # matched tables that change
    olds: dict = field(default_factory=dict)  # new key -> the old table as it is after renames
    enums: EnumChanges = field(default_factory=EnumChanges)
    dropped_tables: list[model.Table] = field(default_factory=list)
    created_tables: list[model.Table] = field(default_factory=list)
    view_drops: list[ops.Op] = field(default_factory=list)
    view_creates: list[ops.Op] = field(default_factory=list)
    taken: set = field(default_factory=set)  # sequences a dropped table or column takes along
    kept_sequences: set = field(default_factory=set)  # sequence keys the new schema has


def compare(old: model.Database, new: model.Database, resolver: Resolver) -> Comparison:
    """Pair and compare every object; the resolver's questions come in this order: enums, tables,
    columns, then each table's constraints and indexes, then enum values."""
    c = Comparison(old, new, resolver)
    _pair_enums_and_tables(c)
    _plan_tables(c)
    _compare_enums(c)
    _refresh_swap_dependents(c)
    _find_dropped_and_created(c)
    _compare_views(c)
    c.taken = _taken_sequences(old, c.dropped_tables, c.plans, c.refs)
    c.kept_sequences = {s.key for s in new.sequences}
    return c


def _pair_objects(kind, olds, news, resolver):
    """Pair objects by (schema, name), settling renames; return {new_key: old_obj} and renames."""
    matched = {}
    renames = []
    old_by = {o.key: o for o in olds}
    new_by = {n.key: n for n in news}
    for schema in sorted({k[0] for k in (*old_by, *new_by)}):
        removed = [k[1] for k in old_by if k[0] == schema and k not in new_by]
        added = [k[1] for k in new_by if k[0] == schema and k not in old_by]
        hints = {n.name: n.renamed_from for n in news if n.schema == schema and n.renamed_from}
        for o, n in resolver.pair(kind, schema, (), removed, added, hints):
            matched[(schema, n)] = old_by[(schema, o)]
            renames.append((schema, o, n))
    for k in new_by:
        if k in old_by:
            matched[k] = old_by[k]
    return matched, renames


def _pair_enums_and_tables(c: Comparison) -> None:
    c.enum_match, c.enum_renames = _pair_objects("enum", c.old.enums, c.new.enums, c.resolver)
    c.table_match, c.table_renames = _pair_objects("table", c.old.tables, c.new.tables, c.resolver)
    c.refs = Renames(tables={(s, o): n for s, o, n in c.table_renames},
                     types={qualified_name(s, o): qualified_name(s, n) for s, o, n in c.enum_renames})  # columns follow: no cast


def _plan_tables(c: Comparison) -> None:
    changed = [(c.table_match[t.key], t) for t in c.new.tables if t.key in c.table_match and c.table_match[t.key] != t]
    for o, t in changed:  # every rename first, so foreign keys anywhere can follow them
        c.refs.columns[t.key] = pair_columns(o, t, c.resolver)
    c.plans = {t.key: diff_table(o, t, c.resolver, c.refs) for o, t in changed}  # equal tables need no comparison
    _refresh_dependent_fks(c.plans, c.new, set(c.table_match))
    c.olds = {t.key: (c.plans[t.key].old if t.key in c.plans else t) for t in c.new.tables if t.key in c.table_match}


def _refresh_dependent_fks(plans: dict, new: model.Database, existing: set) -> None:
    """A primary key or unique constraint being dropped takes the foreign keys that use it along:
    drop those first and add them back once the new key exists."""
    dropped = {(k, tuple(sorted(op.constraint.columns))) for k, p in plans.items() for op in p.drop_other
               if isinstance(op, ops.DropConstraint) and isinstance(op.constraint, (model.PrimaryKey, model.Unique))}
    if not dropped:
        return
    for t in new.tables:
        if t.key not in existing:  # a table created by this plan adds its foreign keys at the end anyway
            continue
        p = plans.get(t.key)
        for fk in t.foreign_keys:
            if ((fk.ref_schema, fk.ref_table), tuple(sorted(fk.ref_columns))) not in dropped:
                continue
            if p is not None and any(getattr(op, "constraint", None) == fk for op in p.add_fks):
                continue  # already being (re)created
            if p is None:
                p = plans[t.key] = TablePlan(old=t)
            p.drop_fks.append(ops.DropConstraint(t.schema, t.name, fk))
            p.add_fks.append(ops.AddConstraint(t.schema, t.name, fk))


def _compare_enums(c: Comparison) -> None:
    for e in c.new.enums:
        o = c.enum_match.get(e.key)
        if o is None:
            continue
        removed = [v for v in o.values if v not in e.values]
        added = [v for v in e.values if v not in o.values]
        values = list(o.values)
        for ov, nv in c.resolver.pair("value", e.schema, (e.name,), removed, added):
            c.enums.renames.append(ops.RenameEnumValue(e.schema, e.name, ov, nv))
            values[values.index(ov)] = nv
        kept = [v for v in values if v in e.values]
        if kept != [v for v in e.values if v in values] or len(kept) < len(values):
            c.enums.swaps.append(_swap(c, model.Enum(e.schema, e.name, tuple(values)), e))
            c.enums.swapped.add(qualified_name(*e.key))
            continue
        for i, v in enumerate(e.values):  # add each new value next to its neighbour
            if v in values:
                continue
            before = next((w for w in e.values[i + 1:] if w in values), None)
            c.enums.adds.append(ops.AddEnumValue(e.schema, e.name, v, before=before))
            values.insert(values.index(before) if before else len(values), v)


def _swap(c: Comparison, old: model.Enum, new: model.Enum) -> ops.RecreateEnum:
    """Cast every existing column of the type (under its new name) to the new type."""
    type_sql = qualified_name(*new.key)
    cols = []
    for t in c.new.tables:
        old_table = c.olds.get(t.key)
        for col in t.columns:
            o = old_table.column(col.name) if old_table else None
            # only columns that keep the type follow it now; the others change type later, from the old one
            if o is None or o.type not in (type_sql, type_sql + "[]") or col.type != o.type:
                continue
            keep = col.default if o.default == col.default and col.type == o.type else None
            cols.append(ops.EnumColumn(t.schema, t.name, col.name, o.default is not None, keep, o.type.endswith("[]")))
    return ops.RecreateEnum(old, new, tuple(cols))


def _refresh_swap_dependents(c: Comparison) -> None:
    """A check or index over a swapped column holds constants of the old type (renamed `<name>__old`);
    PostgreSQL would rebuild it as it is and fail (mood <> mood__old): drop it before, create it after."""
    columns: dict[tuple[str, str], set[str]] = {}
    for swap in c.enums.swaps:
        for col in swap.columns:
            columns.setdefault((col.schema, col.table), set()).add(col.column)
    new_tables = {t.key: t for t in c.new.tables}
    for key, cols in columns.items():
        if key not in c.plans:
            c.plans[key] = TablePlan(old=c.olds[key])
        refresh_dependents(c.plans[key], c.olds[key], new_tables[key], cols)


def _find_dropped_and_created(c: Comparison) -> None:
    matched_ids = {id(t) for t in c.table_match.values()}
    c.dropped_tables = [t for t in c.old.tables if id(t) not in matched_ids]
    c.created_tables = [t for t in c.new.tables if t.key not in c.table_match]


def _compare_views(c: Comparison) -> None:
    """Views over a touched table (a column dropped or retyped, the table dropped or renamed) are redone."""
    touched = {k for k, p in c.plans.items() if p.touched} | {t.key for t in c.dropped_tables}
    if c.enums.swapped:
        touched |= {t.key for t in c.new.tables if any(col.type in c.enums.swapped for col in t.columns)}
    old = {v.key: v for v in c.old.views}
    new = {v.key: v for v in c.new.views}
    touched_names = {k[1] for k in touched} | {r[1] for r in c.table_renames}
    options_only = {k for k, v in old.items() if k in new and new[k] != v and _same_but_options(v, new[k])}
    redo = {k for k, v in old.items() if new.get(k) != v} - options_only
    changed = True
    while changed:  # a view over a touched table, or over a view being redone, is redone too
        changed = False
        names = touched_names | {k[1] for k in redo}
        for k, v in old.items():
            if k not in redo and any(mentions(v.query, n) for n in names - {k[1]}):
                redo.add(k)
                changed = True
    c.view_drops = [ops.DropView(old[k]) for k in reversed(view_order([old[k] for k in redo]))]
    c.view_creates = [ops.CreateView(new[k]) for k in view_order(list(new.values())) if k in redo or k not in old]
    c.view_creates += [ops.AlterViewOptions(old[k], new[k]) for k in sorted(options_only - redo)]


def _same_but_options(a: model.View, b: model.View) -> bool:
    """Only security_barrier, security_invoker or check_option differ: ALTER VIEW ... SET/RESET."""
    return dataclasses.replace(a, security_barrier=b.security_barrier, security_invoker=b.security_invoker,
                               check_option=b.check_option) == b


def _taken_sequences(old: model.Database, dropped_tables: list[model.Table], plans: dict, refs: Renames) -> set:
    """Sequences PostgreSQL drops by itself: owned by a column of a dropped table, or by a dropped column."""
    gone_tables = {t.key for t in dropped_tables}
    gone_columns = {(op.schema, op.table, op.column.name) for p in plans.values() for op in p.columns
                    if isinstance(op, ops.DropColumn)}
    taken = set()
    for s in old.sequences:
        if s.owned_by is None:
            continue
        schema, table, column = s.owned_by
        now = refs.tables.get((schema, table), table)  # the owner's names after this plan's renames
        if (schema, table) in gone_tables or (schema, now, refs.columns.get((schema, now), {}).get(column, column)) in gone_columns:
            taken.add(s.key)
    return taken
