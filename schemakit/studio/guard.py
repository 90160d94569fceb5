"""What the SQL console accepts: one query, read by PostgreSQL's own parser (pglast) before it is sent.

The read-only transaction stops writes, but a connection whose login is a superuser can always
take its powers back inside one statement (`SET ROLE` in a `DO` block, `set_config('role', ...)`,
`UPDATE pg_settings`), since PostgreSQL checks role changes against the session's login. So the
console takes only queries (SELECT, VALUES, TABLE, EXPLAIN of one, SHOW), never a nested
data-modifying statement, and never set_config.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

from pglast.parser import ParseError, parse_sql_json

ALLOWED = {"SelectStmt", "ExplainStmt", "VariableShowStmt"}
NESTED_WRITES = {"InsertStmt", "UpdateStmt", "DeleteStmt", "MergeStmt"}
FORBIDDEN_FUNCTIONS = {"set_config"}  # the one SQL-callable way to change the role or a setting


class Refused(ValueError):
    """The console does not run this statement."""


def _nodes(tree: Any) -> Iterator[tuple[str, Any]]:
    if isinstance(tree, dict):
        for key, value in tree.items():
            yield key, value
            yield from _nodes(value)
    elif isinstance(tree, list):
        for item in tree:
            yield from _nodes(item)


def check(statement: str) -> None:
    """Raise Refused unless `statement` is exactly one query the console may run."""
    try:
        stmts = json.loads(parse_sql_json(statement)).get("stmts", [])
    except ParseError as exc:
        raise Refused(f"syntax error: {exc}") from None
    if len(stmts) != 1:
        raise Refused(f"write one SQL statement (got {len(stmts)})")
    kind, body = next(iter(stmts[0]["stmt"].items()))
    if kind == "ExplainStmt":
        kind = next(iter(body["query"]))
    if kind not in ALLOWED - {"ExplainStmt"}:
        raise Refused(f"the console runs queries only (SELECT, VALUES, TABLE, EXPLAIN, SHOW), not {_name(kind)}")
    for key, value in _nodes(stmts[0]):
        if key in NESTED_WRITES:
            raise Refused(f"the console runs queries only, not {_name(key)} inside a query")
        if key == "FuncCall" and value["funcname"][-1].get("String", {}).get("sval") in FORBIDDEN_FUNCTIONS:
            raise Refused("the console does not call set_config (it could change the role or the read-only setting)")


def _name(kind: str) -> str:
    """InsertStmt -> INSERT, VariableSetStmt -> SET, DoStmt -> DO: close enough to name it."""
    return {"VariableSetStmt": "SET/RESET", "DoStmt": "DO", "CallStmt": "CALL", "TransactionStmt": "a transaction command",
            "DeclareCursorStmt": "DECLARE", "NotifyStmt": "NOTIFY", "ListenStmt": "LISTEN", "CopyStmt": "COPY",
            "PrepareStmt": "PREPARE", "ExecuteStmt": "EXECUTE"}.get(kind, kind.removesuffix("Stmt").upper())
