"""Split a plan into the migrations it needs: enum values first, the transaction, then CONCURRENTLY."""

from __future__ import annotations

import dataclasses

from .diff import Plan
from .diff import ops as O
from .pg.quote import ident as _quote
from .pg.quote import literal
from .pg.render import render_all
from .schema import model
from .schema.names import object_name

Step = tuple[list[O.Op], model.Database, model.Database]


def early_enum_values(plan: Plan) -> list[O.Op]:
    """New enum values that other statements of the plan use: PostgreSQL refuses a value added in the
    same transaction ("unsafe use of new value"), so these must be committed first."""
    adds = [o for o in plan.ops if isinstance(o, O.AddEnumValue)]
    if not adds:
        return []
    others = "\n".join(render_all(o for o in plan.ops if not isinstance(o, O.AddEnumValue)))
    used = {(o.schema, o.name) for o in adds if literal(o.value) in others}
    # every new value of such an enum goes early, in plan order, so BEFORE/AFTER positions hold
    return [o for o in adds if (o.schema, o.name) in used]


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
        if isinstance(op, O.CreateIndex) and (op.schema, op.table) in tables:
            t = tables[(op.schema, op.table)]
            tables[t.key] = dataclasses.replace(t, indexes=tuple(i for i in t.indexes if i.name != op.index.name))
    for op in deferred:
        if isinstance(op, O.ValidateNotNull) and (op.schema, op.table) in tables:
            t = tables[(op.schema, op.table)]
            cols = tuple(dataclasses.replace(c, not_null=False) if c.name == op.column else c for c in t.columns)
            check = model.Check(op.name, f"{_quote(op.column)} IS NOT NULL", validated=False)
            tables[t.key] = dataclasses.replace(t, columns=cols, checks=tuple(sorted(t.checks + (check,), key=lambda c: c.name)))
        if isinstance(op, O.DropIndex):
            for t in old.tables:
                if op.index in t.indexes and t.key in tables:
                    cur = tables[t.key]
                    tables[t.key] = dataclasses.replace(cur, indexes=cur.indexes + (op.index,))
    return model.build_database(new.schemas, new.enums, new.sequences, list(tables.values()), new.views)


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
    early = early_enum_values(plan)
    deferred = plan.non_transactional
    middle = [o for o in plan.transactional if o not in early]
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
    return all(o.transactional for o in step_ops) and not any(isinstance(o, O.AddEnumValue) for o in step_ops)
