"""diff(old, new, resolver) -> Plan: the operations that turn one schema into another."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field

from ..pg.quote import qualified_name
from ..schema import model
from . import ops
from .ops import swapped_name
from .order import mentions, view_order
from .renames import Resolver
from .tables import Renames, TablePlan, diff_table, pair_columns, refresh_dependents


@dataclass
class Plan:
    ops: list[ops.Op] = field(default_factory=list)

    @property
    def transactional(self) -> list[ops.Op]:
        return [o for o in self.ops if o.transactional]

    @property
    def non_transactional(self) -> list[ops.Op]:
        return [o for o in self.ops if not o.transactional]

    def __bool__(self) -> bool:
        return bool(self.ops)

    @property
    def warnings(self) -> list[ops.Op]:
        return [o for o in self.ops if o.risk]


def diff(old: model.Database, new: model.Database, resolver: Resolver | None = None) -> Plan:
    """Return the plan from `old` to `new`; raise RenameAmbiguity if a rename is unsettled."""
    resolver = resolver or Resolver()
    plan = _Differ(old, new, resolver).run()
    resolver.finish()
    return plan


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


class _Differ:
    def __init__(self, old: model.Database, new: model.Database, resolver: Resolver) -> None:
        self.old, self.new, self.r = old, new, resolver
        self.taken: set[tuple[str, str]] = set()  # sequences a dropped table or column takes along

    def run(self) -> Plan:
        old, new = self.old, self.new
        out: list[ops.Op] = []
        # pass 1: schemas first, everything else lives in one
        out += [ops.CreateSchema(s) for s in new.schemas if s not in old.schemas]
        # extensions next: their types may be used by enums, sequences and tables
        old_ext = {e.name: e for e in old.extensions}
        out += [ops.CreateExtension(e) for e in new.extensions if e.name not in old_ext]
        out += [ops.SetExtensionSchema(e.name, e.schema) for e in new.extensions
                if e.name in old_ext and old_ext[e.name].schema != e.schema]
        # pass 2: renames settle which old object each new one is
        enum_match, enum_renames = _pair_objects("enum", old.enums, new.enums, self.r)
        table_match, table_renames = _pair_objects("table", old.tables, new.tables, self.r)
        out += [ops.RenameEnum(*r) for r in enum_renames]
        out += [ops.RenameTable(*r) for r in table_renames]
        refs = Renames(tables={(s, o): n for s, o, n in table_renames},
                       types={qualified_name(s, o): qualified_name(s, n) for s, o, n in enum_renames})  # columns follow: no cast
        changed = [(table_match[t.key], t) for t in new.tables if t.key in table_match and table_match[t.key] != t]
        for o, t in changed:  # every rename first, so foreign keys anywhere can follow them
            refs.columns[t.key] = pair_columns(o, t, self.r)
        plans = {t.key: diff_table(o, t, self.r, refs) for o, t in changed}  # equal tables need no comparison
        self._refresh_dependent_fks(plans, new, set(table_match))
        self.olds = {t.key: (plans[t.key].old if t.key in plans else t) for t in new.tables if t.key in table_match}
        enum_phase = self._enums(enum_match)
        self._refresh_swap_dependents(plans, enum_phase["swaps"])
        out += enum_phase["renames"]
        for p in plans.values():
            out += p.renames
        # pass 3: drop dependents before what they depend on: views, foreign keys, indexes
        matched_ids = {id(t) for t in table_match.values()}
        dropped_tables = [t for t in old.tables if id(t) not in matched_ids]
        touched = {k for k, p in plans.items() if p.touched} | {t.key for t in dropped_tables}
        if enum_phase["swapped"]:
            touched |= {t.key for t in new.tables if any(c.type in enum_phase["swapped"] for c in t.columns)}
        view_drops, view_creates = self._views(touched, table_renames)
        out += view_drops
        # a drop takes the sequences its columns own: keep the ones the new schema still has
        self.taken = _taken_sequences(old, dropped_tables, plans, refs)
        kept = {s.key for s in new.sequences}
        out += [ops.SetSequenceOwner(*k, None) for k in sorted(self.taken & kept)]
        for t in dropped_tables:
            out += [ops.DropConstraint(t.schema, t.name, fk) for fk in t.foreign_keys]
        for p in plans.values():
            out += p.drop_fks
        for p in plans.values():
            out += p.drop_other
        out += [ops.DropTable(t) for t in dropped_tables]
        # pass 4: types and sequences before the tables that use them
        out += [ops.CreateEnum(e) for e in new.enums if e.key not in enum_match]
        out += enum_phase["adds"]
        out += self._sequences_create()
        # pass 5: enum swaps, then tables and columns (which may take the new values)
        out += enum_phase["swaps"]
        created = [t for t in new.tables if t.key not in table_match]
        # PostgreSQL silently skips a UNIQUE that repeats the primary key inside CREATE TABLE
        twins = {t.key: [u for u in t.uniques if t.primary_key and u.columns == t.primary_key.columns] for t in created}
        out += [
            ops.CreateTable(dataclasses.replace(t, foreign_keys=(), indexes=(), uniques=tuple(u for u in t.uniques if u not in twins[t.key])))
            for t in created
        ]
        for p in plans.values():
            out += p.columns
        # pass 6: constraints and indexes, then foreign keys once every table exists
        for t in created:
            out += [ops.AddConstraint(t.schema, t.name, u, fresh=True) for u in twins[t.key]]
            out += [ops.CreateIndex(t.schema, t.name, i, fresh=True) for i in t.indexes]
        for p in plans.values():
            out += p.add_other
        for t in created:
            out += [ops.AddConstraint(t.schema, t.name, fk, fresh=True) for fk in t.foreign_keys]
        for p in plans.values():
            out += p.add_fks
        out += self._sequence_owners()
        # pass 7: drop what nothing uses any more, then recreate dependents
        out += [ops.DropEnum(model.Enum(e.schema, swapped_name(e.name), ())) for e in (o.new for o in enum_phase["swaps"])]
        kept_enums = {id(e) for e in enum_match.values()}
        out += [ops.DropEnum(e) for e in old.enums if id(e) not in kept_enums]
        out += [ops.DropSequence(s) for s in old.sequences if s.key not in kept and s.key not in self.taken]
        out += view_creates
        new_ext = {e.name for e in new.extensions}
        out += [ops.DropExtension(e) for e in old.extensions if e.name not in new_ext]  # once no column uses it
        for t in created:
            if t.comment:
                out.append(ops.CommentOnTable(t.schema, t.name, t.comment))
            out += [ops.CommentOnColumn(t.schema, t.name, c.name, c.comment) for c in t.columns if c.comment]
        for p in plans.values():
            out += p.comments
        out += [ops.DropSchema(s) for s in old.schemas if s not in new.schemas]
        return Plan(_reuse_sequences(out))

    def _refresh_dependent_fks(self, plans: dict, new: model.Database, existing: set) -> None:
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

    def _refresh_swap_dependents(self, plans: dict, swaps: list[ops.RecreateEnum]) -> None:
        """A check or index over a swapped column holds constants of the old type (renamed `<name>__old`);
        PostgreSQL would rebuild it as it is and fail (mood <> mood__old): drop it before, create it after."""
        columns: dict[tuple[str, str], set[str]] = {}
        for swap in swaps:
            for c in swap.columns:
                columns.setdefault((c.schema, c.table), set()).add(c.column)
        new_tables = {t.key: t for t in self.new.tables}
        for key, cols in columns.items():
            if key not in plans:
                plans[key] = TablePlan(old=self.olds[key])
            refresh_dependents(plans[key], self.olds[key], new_tables[key], cols)

    def _enums(self, matched: dict) -> dict:
        phase: dict = {"renames": [], "adds": [], "swaps": [], "swapped": set()}
        for e in self.new.enums:
            o = matched.get(e.key)
            if o is None:
                continue
            removed = [v for v in o.values if v not in e.values]
            added = [v for v in e.values if v not in o.values]
            values = list(o.values)
            for ov, nv in self.r.pair("value", e.schema, (e.name,), removed, added):
                phase["renames"].append(ops.RenameEnumValue(e.schema, e.name, ov, nv))
                values[values.index(ov)] = nv
            kept = [v for v in values if v in e.values]
            if kept != [v for v in e.values if v in values] or len(kept) < len(values):
                phase["swaps"].append(self._swap(model.Enum(e.schema, e.name, tuple(values)), e))
                phase["swapped"].add(_type_sql(e))
                continue
            for i, v in enumerate(e.values):  # add each new value next to its neighbour
                if v in values:
                    continue
                before = next((w for w in e.values[i + 1:] if w in values), None)
                phase["adds"].append(ops.AddEnumValue(e.schema, e.name, v, before=before))
                values.insert(values.index(before) if before else len(values), v)
        return phase

    def _swap(self, old: model.Enum, new: model.Enum) -> ops.RecreateEnum:
        """Cast every existing column of the type (under its new name) to the new type."""
        type_sql = _type_sql(new)
        cols = []
        for t in self.new.tables:
            old_table = self.olds.get(t.key)
            for c in t.columns:
                o = old_table.column(c.name) if old_table else None
                # only columns that keep the type follow it now; the others change type later, from the old one
                if o is None or o.type not in (type_sql, type_sql + "[]") or c.type != o.type:
                    continue
                keep = c.default if o.default == c.default and c.type == o.type else None
                cols.append(ops.EnumColumn(t.schema, t.name, c.name, o.default is not None, keep, o.type.endswith("[]")))
        return ops.RecreateEnum(old, new, tuple(cols))

    def _sequences_create(self) -> list[ops.Op]:
        old = {s.key: s for s in self.old.sequences}
        out: list[ops.Op] = []
        for s in self.new.sequences:
            o = old.get(s.key)
            if o is None:
                out.append(ops.CreateSequence(dataclasses.replace(s, owned_by=None)))
            elif dataclasses.replace(o, owned_by=None) != dataclasses.replace(s, owned_by=None):
                out.append(ops.AlterSequence(o, s))
        return out

    def _sequence_owners(self) -> list[ops.Op]:
        old = {s.key: s for s in self.old.sequences}
        out: list[ops.Op] = []
        for s in self.new.sequences:
            o = old.get(s.key)
            if (o.owned_by if o and s.key not in self.taken else None) != s.owned_by:
                out.append(ops.SetSequenceOwner(s.schema, s.name, s.owned_by))
        return out

    def _views(self, touched: set, table_renames: list) -> tuple[list[ops.Op], list[ops.Op]]:
        old = {v.key: v for v in self.old.views}
        new = {v.key: v for v in self.new.views}
        touched_names = {k[1] for k in touched} | {r[1] for r in table_renames}
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
        drops = [ops.DropView(old[k]) for k in reversed(view_order([old[k] for k in redo]))]
        creates = [ops.CreateView(new[k]) for k in view_order(list(new.values())) if k in redo or k not in old]
        creates += [ops.AlterViewOptions(old[k], new[k]) for k in sorted(options_only - redo)]
        return drops, creates


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


def _reuse_sequences(out: list[ops.Op]) -> list[ops.Op]:
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
    result = []
    for o in out:
        r = replaced.get(id(o), o)
        if r is not None:
            result.append(r)
    return result


def _type_sql(e: model.Enum) -> str:
    return qualified_name(e.schema, e.name)
