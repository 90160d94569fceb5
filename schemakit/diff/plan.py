"""Split a plan into the migrations it needs: enum values first, the transaction, then CONCURRENTLY."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass

from ..diff import Plan
from ..diff import ops as O
from ..diff.order import mentions
from ..pg.quote import qualified_name
from ..pg.sqltext import is_not_null, names, string_constants
from ..schema import model
from ..schema.names import object_name

Step = tuple[list[O.Op], model.Database, model.Database]


@dataclass(frozen=True)
class _Use:
    """An SQL fragment of an operation and the column types it meets (None: values of those types are cast in)."""

    text: str | None
    types: frozenset[str]


def _base(type_sql: str) -> str:
    return type_sql.removesuffix("[]")


def _scope(t: model.Table | None) -> frozenset[str]:
    return frozenset(_base(c.type) for c in t.columns) if t else frozenset()


def _column_uses(c: model.Column) -> list[_Use]:
    return [_Use(e, frozenset({_base(c.type)})) for e in (c.default, c.generated) if e]


def _index_uses(i: model.Index, types: frozenset[str]) -> list[_Use]:
    return [_Use(e, types) for e in (*i.elements, i.where) if e]


def _uses(op: O.Op, tables: dict[tuple[str, str], model.Table], views: dict[tuple[str, str], model.View]) -> list[_Use]:
    """The SQL fragments of `op` that may hold an enum value, each with the types it is compared with."""
    if isinstance(op, O.CreateTable):
        types = _scope(op.table)
        return [u for c in op.table.columns for u in _column_uses(c)] + [_Use(c.expr, types) for c in op.table.checks]
    if isinstance(op, O.AddColumn):
        return _column_uses(op.column)
    table = tables.get((getattr(op, "schema", ""), getattr(op, "table", "")))
    if isinstance(op, O.SetDefault):
        column = table.column(op.column) if table else None
        return [_Use(op.default, frozenset({_base(column.type)} if column else ()))]
    if isinstance(op, O.AddConstraint) and isinstance(op.constraint, model.Check):
        return [_Use(op.constraint.expr, _scope(table))]
    if isinstance(op, O.CreateIndex):
        return _index_uses(op.index, _scope(table))
    if isinstance(op, O.AlterColumnType):  # existing rows may hold the new value
        return [_Use(None, frozenset({_base(op.new_type)}))]
    if isinstance(op, O.CreateView):
        types = _view_scope(op.view, tables, views)
        return [_Use(op.view.query, types)] + [u for i in op.view.indexes for u in _index_uses(i, types)]
    return []


def _view_scope(view: model.View, tables: dict, views: dict, seen: frozenset = frozenset()) -> frozenset[str]:
    """The column types of the tables a view reads, directly or through the views it reads."""
    types = frozenset().union(*(_scope(t) for t in tables.values() if mentions(view.query, t.name)))
    for v in views.values():
        if v.key not in seen and v.key != view.key and mentions(view.query, v.name):
            types |= _view_scope(v, tables, views, seen | {view.key})
    return types


def _uses_value(add: O.AddEnumValue, use: _Use) -> bool:
    type_sql = qualified_name(add.schema, add.name)
    if use.text is None:
        return type_sql in use.types
    return (type_sql in use.types or add.name in names(use.text)) and add.value in string_constants(use.text)


def _early_adds(plan: Plan, new: model.Database) -> list[O.AddEnumValue]:
    """The plan's AddEnumValue operations that must be committed before the rest (see early_enum_values)."""
    adds = [o for o in plan.ops if isinstance(o, O.AddEnumValue)]
    if not adds:
        return []
    tables, views = {t.key: t for t in new.tables}, {v.key: v for v in new.views}
    uses = [u for o in plan.ops if not isinstance(o, O.AddEnumValue) for u in _uses(o, tables, views)]
    used = {(a.schema, a.name) for a in adds if any(_uses_value(a, u) for u in uses)}
    # every new value of such an enum goes early, in plan order, so BEFORE/AFTER positions hold
    return [o for o in adds if (o.schema, o.name) in used]


def early_enum_values(plan: Plan, new: model.Database) -> list[O.AddEnumValue]:
    """New enum values that other operations of the plan use (a default, a check, an index, a view, a cast):
    PostgreSQL refuses a value added in the same transaction ("unsafe use of new value"), so these are
    committed first, outside any transaction. Each is returned marked `early`, under the names it has
    before the plan runs (an enum or value the plan renames is renamed only later, in the transaction)."""
    enums = {(o.schema, o.new): o.old for o in plan.ops if isinstance(o, O.RenameEnum)}
    values = {(o.schema, o.name, o.new): o.old for o in plan.ops if isinstance(o, O.RenameEnumValue)}
    out = []
    for o in _early_adds(plan, new):
        before = values.get((o.schema, o.name, o.before), o.before)
        after = values.get((o.schema, o.name, o.after), o.after)
        out.append(dataclasses.replace(o, name=enums.get((o.schema, o.name), o.name), before=before, after=after, early=True))
    return out


def later_ops(plan: Plan, new: model.Database) -> list[O.Op]:
    """The plan's transactional operations that early_enum_values does not take."""
    early = {id(o) for o in _early_adds(plan, new)}
    return [o for o in plan.transactional if id(o) not in early]


def _with_values(db: model.Database, adds: list[O.Op]) -> model.Database:
    enums = {e.key: list(e.values) for e in db.enums}
    for a in adds:
        values = enums[(a.schema, a.name)]
        values.insert(values.index(a.before) if a.before in values else len(values), a.value)
    return dataclasses.replace(db, enums=tuple(dataclasses.replace(e, values=tuple(enums[e.key])) for e in db.enums))


def _without_deferred(new: model.Database, old: model.Database, deferred: list[O.Op]) -> model.Database:
    """`new` as it is before the deferred (non-transactional) index operations run."""
    tables = {t.key: t for t in new.tables}
    for op in deferred:
        if isinstance(op, O.CreateIndex | O.ReplaceIndex) and (op.schema, op.table) in tables:
            t = tables[(op.schema, op.table)]
            gone = op.index.name if isinstance(op, O.CreateIndex) else op.new.name
            back = (op.old,) if isinstance(op, O.ReplaceIndex) else ()  # the old index stays until the step runs
            tables[t.key] = dataclasses.replace(t, indexes=tuple(i for i in t.indexes if i.name != gone) + back)
    for op in deferred:
        if isinstance(op, O.ValidateNotNull) and (op.schema, op.table) in tables:
            t = tables[(op.schema, op.table)]
            cols = tuple(dataclasses.replace(c, not_null=False) if c.name == op.column else c for c in t.columns)
            check = model.Check(op.name, is_not_null(op.column), validated=False)
            tables[t.key] = dataclasses.replace(t, columns=cols, checks=tuple(sorted(t.checks + (check,), key=lambda c: c.name)))
        if isinstance(op, O.DropIndex):
            for t in old.tables:
                if op.index in t.indexes and t.key in tables:
                    cur = tables[t.key]
                    tables[t.key] = dataclasses.replace(cur, indexes=cur.indexes + (op.index,))
    return model.build_database(new.schemas, new.enums, new.sequences, list(tables.values()), new.views, new.extensions)


def not_null_check_name(table: str, column: str) -> str:
    return object_name(table, column, "nn_check")


def online_not_null(plan: Plan) -> Plan:
    """SET NOT NULL on an existing column: a NOT VALID check now, validated after the transaction."""
    out: list[O.Op] = []
    for o in plan.ops:
        if isinstance(o, O.SetNotNull) and o.online:
            name = not_null_check_name(o.table, o.column)
            out += [O.AddNotNullCheck(o.schema, o.table, o.column, name), O.ValidateNotNull(o.schema, o.table, o.column, name)]
        else:
            out.append(o)
    return Plan(out)


def split(plan: Plan, old: model.Database, new: model.Database) -> list[Step]:
    """Return the (operations, schema before, schema after) of each migration the plan needs."""
    plan = online_not_null(plan)
    early = early_enum_values(plan, new)
    deferred = plan.non_transactional
    middle = later_ops(plan, new)
    start, end = old, new
    steps: list[Step] = []
    if early:
        start = _with_values(old, early)
        steps.append((early, old, start))
    if deferred:
        end = _without_deferred(new, old, deferred)
    if middle:
        steps.append((middle, start, end))
    if deferred:
        steps.append((deferred, end, new))
    return steps


def transactional(step_ops: list[O.Op]) -> bool:
    """Whether a step runs in one transaction (early enum values and CONCURRENTLY do not)."""
    return all(o.transactional for o in step_ops)
