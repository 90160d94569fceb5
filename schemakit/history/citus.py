"""db_check's Citus rules (SCHEMAKIT["CITUS"]): what a Citus coordinator refuses, read by PostgreSQL's parser.

The settings name the distributed tables and their distribution column, and the reference tables:
    {"distributed": {"public.orders": "tenant_id"}, "reference": ["public.countries"]}"""

from __future__ import annotations

from typing import Any

import pglast
from pglast import ast
from pglast.enums import AlterTableType as AT
from pglast.enums import ConstrType

from ..errors import ConfigError, SqlSyntaxError
from ..pg.split import split
from .folder import is_transactional
from .lint import Finding

RULES: dict[str, tuple[str, str]] = {
    "citus-unique-without-distribution-column": (
        "Citus refuses a primary key or unique constraint on a distributed table without its distribution column",
        "include the distribution column in the key (e.g. PRIMARY KEY (tenant_id, id))"),
    "citus-foreign-key-to-local-table": (
        "Citus refuses a foreign key from a distributed table to a local table",
        "make the referenced table a reference table, or distribute it on the same column"),
    "citus-concurrently-in-transaction": (
        "CONCURRENTLY (an index, or create_distributed_table_concurrently) cannot run inside a transaction",
        "put it in its own file starting with -- schemakit:no-transaction"),
}


def _key(name: str) -> tuple[str, str]:
    schema, _, table = name.rpartition(".")
    return (schema or "public", table)


class Layout:
    """Which tables are distributed (and on which column) and which are reference tables."""

    def __init__(self, config: dict[str, Any]) -> None:
        if not isinstance(config, dict) or not set(config) <= {"distributed", "reference"}:
            raise ConfigError("SCHEMAKIT['CITUS'] must be {'distributed': {'schema.table': 'column'}, 'reference': [...]}")
        self.distributed = {_key(t): c for t, c in (config.get("distributed") or {}).items()}
        self.reference = {_key(t) for t in config.get("reference") or ()}


def citus_findings(file: str, text: str, config: dict[str, Any]) -> list[Finding]:
    """The Citus findings of one migration file."""
    layout = Layout(config)
    transactional = is_transactional(text)
    out = []
    try:
        statements = split(text, file)
    except SqlSyntaxError:
        return []  # the lint reports the file as unparsable
    for n, statement in enumerate(statements, 1):
        line, sql = statement.line, statement.sql
        try:
            nodes = [raw.stmt for raw in pglast.parse_sql(sql)]
        except pglast.parser.ParseError:
            continue
        rules = [r for node in nodes for r in _rules(node, layout, transactional)]
        out += [Finding(file, n, r, RULES[r][0], line, RULES[r][1]) for r in dict.fromkeys(rules)]
    return out


def _table(rel: ast.RangeVar) -> tuple[str, str]:
    return (rel.schemaname or "public", rel.relname)


def _rules(node: Any, layout: Layout, transactional: bool) -> list[str]:
    if isinstance(node, ast.CreateStmt):
        table = _table(node.relation)
        found = [c for e in node.tableElts or () for c in _constraints(e)]
        return [r for c in found for r in _constraint_rules(c, table, layout)]
    if isinstance(node, ast.AlterTableStmt):
        table = _table(node.relation)
        return [r for cmd in node.cmds for c in _cmd_constraints(cmd) for r in _constraint_rules(c, table, layout)]
    if isinstance(node, ast.IndexStmt):
        rules = ["citus-concurrently-in-transaction"] if node.concurrent and transactional else []
        column = layout.distributed.get(_table(node.relation))
        columns = {p.name for p in node.indexParams or () if isinstance(p, ast.IndexElem) and p.name}
        if node.unique and column and column not in columns:
            rules.append("citus-unique-without-distribution-column")
        return rules
    if transactional and "create_distributed_table_concurrently" in _functions(node):
        return ["citus-concurrently-in-transaction"]
    return []


def _constraints(element: Any) -> list[tuple[ast.Constraint, str | None]]:
    """(constraint, the column it is written on, if any) of a table element."""
    if isinstance(element, ast.Constraint):
        return [(element, None)]
    if isinstance(element, ast.ColumnDef):
        return [(c, element.colname) for c in element.constraints or ()]
    return []


def _cmd_constraints(cmd: ast.AlterTableCmd) -> list[tuple[ast.Constraint, str | None]]:
    if cmd.subtype in (AT.AT_AddConstraint, AT.AT_AddColumn) and cmd.def_ is not None:
        return _constraints(cmd.def_)
    return []


def _constraint_rules(item: tuple[ast.Constraint, str | None], table: tuple[str, str], layout: Layout) -> list[str]:
    c, on_column = item
    column = layout.distributed.get(table)
    if column is None:
        return []
    keys = {k.sval for k in c.keys or ()} | ({on_column} if on_column else set())
    if c.contype in (ConstrType.CONSTR_PRIMARY, ConstrType.CONSTR_UNIQUE) and column not in keys:
        return ["citus-unique-without-distribution-column"]
    if c.contype == ConstrType.CONSTR_FOREIGN and c.pktable is not None:
        target = _table(c.pktable)
        if target not in layout.distributed and target not in layout.reference:
            return ["citus-foreign-key-to-local-table"]
    return []


def _functions(node: Any) -> set[str]:
    """Names of the functions a statement calls (any depth)."""
    from pglast.visitors import Visitor

    names: set[str] = set()

    class Calls(Visitor):
        def visit_FuncCall(self, ancestors: Any, call: ast.FuncCall) -> None:
            names.add(call.funcname[-1].sval)

    Calls()(node)
    return names
