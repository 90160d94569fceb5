"""The live database as a source of truth: push, pull and the data a plan would touch."""

from __future__ import annotations

import dataclasses
from dataclasses import dataclass, field
from functools import cached_property
from typing import Any

import psycopg

from ..diff import Plan, diff
from ..diff import ops as O
from ..diff.plan import early_enum_values, later_ops
from ..diff.renames import Resolver
from ..errors import StatementError
from ..history.folder import join_statements
from ..history.locks import Notify
from ..history.runner import run_file
from ..history.tracker import advisory_lock, lock_key
from ..pg.canonical import canonicalize
from ..pg.introspect import introspect
from ..pg.quote import ident, literal
from ..pg.render import render_all
from ..pg.scratch import with_hints
from ..schema import model
from ..schema.snapshot import gc_paused
from .background import Later
from .project import Project
from .states import name_session, refuse_newer_features


@dataclass
class Loss:
    op: O.Op
    rows: int

    def describe(self) -> str:
        return f"{self.op.describe()}: {self.rows} row(s)"


@dataclass
class PushPlan:
    plan: Plan
    target: model.Database  # the canonicalised schema the plan leads to
    losses: list[Loss] = field(default_factory=list)  # data-losing statements and the rows they touch
    doomed: list[str] = field(default_factory=list)  # statements bound to fail on the data

    @cached_property
    def early(self) -> list[O.Op]:
        return early_enum_values(self.plan, self.target)

    @cached_property
    def before(self) -> list[str]:
        """New enum values the plan uses: committed first (PostgreSQL refuses them in the same transaction)."""
        return render_all(self.early)

    @cached_property
    def transactional(self) -> list[str]:
        return render_all(later_ops(self.plan, self.target))

    @cached_property
    def after(self) -> list[str]:
        return render_all(self.plan.non_transactional)


def plan_push(project: Project, resolver: Resolver) -> PushPlan:
    """Diff the live database against the schema module; count the rows risky statements touch."""
    target = project.load_schema()  # a schema mistake stops here, before any connection
    with project.connect() as conn:
        if any(not u.nulls_distinct for t in target.tables for u in (*t.uniques, *t.indexes)):
            refuse_newer_features(conn, [("the schema module", "NULLS NOT DISTINCT")])
        # the server reads the live schema while Python canonicalises
        with gc_paused(), Later(lambda: introspect(conn, project.ignored, connect=project.connect)) as live:
            want = with_hints(canonicalize(project.connection_params(), target, live=live.result), target)
            plan = diff(live.result(), want, resolver)
        result = PushPlan(plan, want)
        live_names = _LiveNames(plan)
        for op in plan.ops:
            _assess(conn, live_names.of(op), result)
    return result


class _LiveNames:
    """The checks run before the plan: a table or column the plan renames still has its old name."""

    def __init__(self, plan: Plan) -> None:
        self.tables = {(o.schema, o.new): o.old for o in plan.ops if isinstance(o, O.RenameTable)}
        self.columns = {(o.schema, o.table, o.new): o.old for o in plan.ops if isinstance(o, O.RenameColumn)}

    def of(self, op: Any) -> Any:
        """`op` with the names the live database has now (only the fields _assess reads)."""
        if isinstance(op, O.RecreateEnum):
            return dataclasses.replace(op, columns=tuple(self.of(c) for c in op.columns))
        if not isinstance(getattr(op, "table", None), str):
            return op
        changes: dict = {"table": self.tables.get((op.schema, op.table), op.table)}
        column = getattr(op, "column", None)
        if isinstance(column, str):
            changes["column"] = self.columns.get((op.schema, op.table, column), column)
        elif isinstance(column, model.Column):
            changes["column"] = dataclasses.replace(column, name=self.columns.get((op.schema, op.table, column.name), column.name))
        return dataclasses.replace(op, **changes)


def _count(conn: psycopg.Connection, schema: str, table: str, where: str = "true") -> int:
    row = conn.execute(f"SELECT count(*) FROM {ident(schema, table)} WHERE {where}".encode()).fetchone()
    return int(row[0])


def _live_columns(conn: psycopg.Connection, schema: str, table: str) -> set[str]:
    rows = conn.execute("SELECT attname FROM pg_attribute WHERE attrelid = to_regclass(%s) AND attnum > 0 AND NOT attisdropped",
                        (ident(schema, table),)).fetchall()
    return {r[0] for r in rows}


def _assess(conn: psycopg.Connection, op: O.Op, result: PushPlan) -> None:
    if isinstance(op, O.SetNotNull):
        nulls = _count(conn, op.schema, op.table, f"{ident(op.column)} IS NULL")
        if nulls:
            result.doomed.append(f"SET NOT NULL on {op.schema}.{op.table}.{op.column}: {nulls} row(s) hold NULL")
    elif isinstance(op, O.AddConstraint) and isinstance(op.constraint, model.PrimaryKey) and not op.fresh:
        cols = [c for c in op.constraint.columns if c in _live_columns(conn, op.schema, op.table)]  # not added now
        nulls = _count(conn, op.schema, op.table, " OR ".join(f"{ident(c)} IS NULL" for c in cols)) if cols else 0
        if nulls:  # the key sets NOT NULL on its columns itself
            result.doomed.append(f"PRIMARY KEY ({', '.join(cols)}) on {op.schema}.{op.table}: {nulls} row(s) hold NULL")
    elif isinstance(op, O.AddColumn) and op.risk:
        rows = _count(conn, op.schema, op.table)
        if rows:
            result.doomed.append(f"add NOT NULL column {op.schema}.{op.table}.{op.column.name} without a default: the table has {rows} row(s)")
    elif isinstance(op, O.DropTable):
        result.losses.append(Loss(op, _count(conn, *op.table.key)))
    elif isinstance(op, O.DropColumn) and op.risk:
        result.losses.append(Loss(op, _count(conn, op.schema, op.table, f"{ident(op.column.name)} IS NOT NULL")))
    elif isinstance(op, O.AlterColumnType) and op.risk == O.Risk.DATA_LOSS:
        result.losses.append(Loss(op, _count(conn, op.schema, op.table, f"{ident(op.column)} IS NOT NULL")))
    elif isinstance(op, O.RecreateEnum):
        gone = [v for v in op.old.values if v not in op.new.values]
        values = "ARRAY[" + ", ".join(literal(v) for v in gone) + "]::text[]"
        rows = 0
        for c in op.columns:
            cond = f"{ident(c.column)}::text[] && {values}" if c.array else f"{ident(c.column)}::text = ANY({values})"
            rows += _count(conn, c.schema, c.table, cond)
        result.losses.append(Loss(op, rows))


def apply_push(project: Project, pushed: PushPlan, notify: Notify | None = None) -> None:
    """Run the plan under db_migrate's advisory lock: one transaction, then what cannot run inside one."""
    with project.connect() as conn:
        name_session(conn, "schemakit db_push")
        with advisory_lock(conn, lock_key(*project.tracking), notify=notify, every=project.limits.report_every):
            _apply(conn, pushed)


def _apply(conn: psycopg.Connection, pushed: PushPlan) -> None:
    if pushed.before:
        run_file(conn, "db_push (enum values, before the transaction)", join_statements(pushed.before), False, lambda ms: None)
    if pushed.transactional:
        try:
            run_file(conn, "db_push", join_statements(pushed.transactional), True, lambda ms: None)
        except StatementError as exc:
            if not pushed.before:
                raise
            # ALTER TYPE ... ADD VALUE committed on its own: the rollback cannot take it back
            kept = "; ".join(s.rstrip(";") for s in pushed.before)
            raise StatementError(exc.where, exc.number, f"{exc.pg_message} (the transaction rolled back, but these "
                                 f"statements ran before it and stay committed: {kept})") from None
    if pushed.after:
        run_file(conn, "db_push (after commit)", join_statements(pushed.after), False, lambda ms: None)
