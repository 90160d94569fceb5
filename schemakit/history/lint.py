"""Named lint rules for migration SQL, read by PostgreSQL's own parser (pglast), not by regular expressions."""

from __future__ import annotations

import re
from dataclasses import dataclass

import pglast
from pglast import ast
from pglast.enums import AlterTableType as AT
from pglast.enums import ConstrType, ObjectType

from ..errors import SqlSyntaxError
from ..pg.split import split
from .folder import is_transactional

# rule -> (why it is risky, the safe alternative)
RULES: dict[str, tuple[str, str]] = {
    "not-null-column-without-default": (
        "adding a NOT NULL column without a default fails on a table that has rows",
        "add it nullable, backfill, then SET NOT NULL (or give it a default)"),
    "index-without-concurrently": (
        "CREATE INDEX blocks writes to the table for the whole build",
        "CREATE INDEX CONCURRENTLY in a no-transaction migration (Index(..., concurrently=True))"),
    "alter-column-type": (
        "changing a column's type rewrites the table under an ACCESS EXCLUSIVE lock; the cast may fail",
        "add a new column, backfill in batches, switch the code, drop the old one"),
    "drop-column": ("drops a column and its data; running code that reads it breaks",
                    "stop using the column in the code first, deploy, then drop it"),
    "drop-table": ("drops a table and its rows", "stop using the table first; keep a backup"),
    "drop-enum-or-schema": ("drops a type or a schema", "make sure nothing uses it"),
    "constraint-without-not-valid": (
        "adding a CHECK or FOREIGN KEY validates every row while holding the lock",
        "ADD CONSTRAINT ... NOT VALID, then VALIDATE CONSTRAINT in a later statement (a weaker lock)"),
    "rename": ("renaming a table or column breaks the running code that uses the old name",
               "add the new name, move the code over, then drop the old one (or a view)"),
    "enum-value-removal": ("swaps an enum type: fails if rows hold a removed value",
                           "update the rows first; check them with db_push --dry-run"),
    "set-not-null": (
        "SET NOT NULL scans the whole table under an ACCESS EXCLUSIVE lock",
        "ADD CONSTRAINT ... CHECK (col IS NOT NULL) NOT VALID, VALIDATE it, then SET NOT NULL (no scan)"),
    "timestamp-without-time-zone": ("timestamp without time zone loses the offset; comparisons drift with DST",
                                    "timestamp(..., tz=True) (timestamptz)"),
    "integer-primary-key": ("an integer primary key runs out at 2,147,483,647 rows",
                            "bigint (bigserial, or bigint identity)"),
    "identifier-too-long": ("PostgreSQL truncates identifiers to 63 bytes: two names may become one",
                            "a name of 63 bytes or fewer"),
    "concurrently-in-transaction": (
        "CONCURRENTLY cannot run inside a transaction: the migration fails",
        "put it in its own file starting with -- schemakit:no-transaction"),
    "not-in-transaction": (
        "VACUUM, CREATE/DROP DATABASE, ALTER SYSTEM and CREATE/DROP TABLESPACE cannot run inside a transaction: "
        "the migration fails", "put it in its own file starting with -- schemakit:no-transaction"),
    "unparsable": ("PostgreSQL's parser cannot read this statement", "fix the SQL"),
}
NO_TRANSACTION_NODES = (ast.VacuumStmt, ast.CreatedbStmt, ast.DropdbStmt, ast.AlterSystemStmt,
                        ast.CreateTableSpaceStmt, ast.DropTableSpaceStmt)  # VACUUM, not ANALYZE: checked below
ALLOW = re.compile(r"--[ \t]*schemakit:allow[ \t]+([a-z0-9-]+)[ \t]+(\S.*)$", re.M)


@dataclass(frozen=True)
class Finding:
    file: str
    statement: int
    rule: str
    why: str
    line: int = 0
    fix: str = ""

    def __str__(self) -> str:
        where = f"statement {self.statement}" if self.statement else f"line {self.line}"
        return f"{self.file}: {where}: [{self.rule}] {self.why}"

    def as_dict(self) -> dict:
        return {"file": self.file, "line": self.line, "statement": self.statement, "rule": self.rule,
                "why": self.why, "safe_alternative": self.fix}


def lint_text(file: str, text: str) -> list[Finding]:
    """The findings of one migration file, minus the rules its statements allow with a reason."""
    try:
        parts = split(text, file)
    except SqlSyntaxError as exc:  # the file cannot be split: one finding at the line the parser stopped
        return [Finding(file, 0, "unparsable", f"PostgreSQL's parser cannot read the file, so db_migrate refuses it: {exc.reason}", exc.line, RULES["unparsable"][1])]
    transactional = is_transactional(text)
    nodes = [_parse(s.sql) for s in parts]
    created = {_table_name(n.relation) for ns in nodes if ns for n in ns if isinstance(n, ast.CreateStmt)}
    out, validated = [], set()
    for n, (statement, parsed) in enumerate(zip(parts, nodes, strict=True), 1):
        allowed = {m.group(1) for m in ALLOW.finditer(statement.text)}
        rules = ["unparsable"] if parsed is None else [r for node in parsed for r in _rules(node, created, transactional)]
        rules += _file_rules(parsed or [], validated) + (["identifier-too-long"] if _too_long(statement.sql) else [])
        validated |= _validated(parsed or [])
        for rule in dict.fromkeys(rules):
            if rule not in allowed:
                out.append(Finding(file, n, rule, RULES[rule][0], statement.line, RULES[rule][1]))
    return out


def _parse(sql: str) -> list | None:
    try:
        return [raw.stmt for raw in pglast.parse_sql(sql)]
    except pglast.parser.ParseError:
        return None


def _table_name(rel: ast.RangeVar) -> tuple[str, str]:
    return (rel.schemaname or "public", rel.relname)


def _validated(parsed: list) -> set[tuple[str, str]]:
    """The tables on which these statements validate a constraint."""
    return {_table_name(n.relation) for n in parsed if isinstance(n, ast.AlterTableStmt)
            for c in n.cmds if c.subtype == AT.AT_ValidateConstraint}


def _file_rules(parsed: list, validated: set) -> list[str]:
    """set-not-null is safe when an earlier statement of the file validated a check on that table."""
    return [] if not parsed else ["set-not-null" for n in parsed if isinstance(n, ast.AlterTableStmt)
                                  and _table_name(n.relation) not in validated
                                  and any(c.subtype == AT.AT_SetNotNull for c in n.cmds)]


def _rules(node, created: set, transactional: bool) -> list[str]:
    out: list[str] = []
    if isinstance(node, ast.AlterTableStmt):
        fresh = _table_name(node.relation) in created
        for cmd in node.cmds:
            out += _alter_rules(cmd, fresh)
            detach = cmd.subtype == AT.AT_DetachPartition and getattr(cmd.def_, "concurrent", False)
            out.append("concurrently-in-transaction" if detach and transactional else "")
    elif isinstance(node, ast.IndexStmt):
        if node.concurrent and transactional:
            out.append("concurrently-in-transaction")
        if not node.concurrent and _table_name(node.relation) not in created:
            out.append("index-without-concurrently")
    elif isinstance(node, NO_TRANSACTION_NODES) and not (isinstance(node, ast.VacuumStmt) and not node.is_vacuumcmd):
        out.append("not-in-transaction" if transactional else "")
    elif isinstance(node, ast.ReindexStmt):
        concurrent = any(p.defname == "concurrently" for p in node.params or ())
        out.append("concurrently-in-transaction" if concurrent and transactional else "")
    elif isinstance(node, ast.DropStmt):
        if node.concurrent and transactional:
            out.append("concurrently-in-transaction")
        if node.removeType == ObjectType.OBJECT_TABLE:
            out.append("drop-table")
        elif node.removeType in (ObjectType.OBJECT_TYPE, ObjectType.OBJECT_SCHEMA):
            out.append("drop-enum-or-schema")
    elif isinstance(node, ast.RenameStmt):
        out.append("enum-value-removal" if node.renameType == ObjectType.OBJECT_TYPE and node.newname.endswith("__old")
                   else "rename" if node.renameType in (ObjectType.OBJECT_TABLE, ObjectType.OBJECT_COLUMN) else "")
    elif isinstance(node, ast.CreateStmt):
        out += _create_rules(node)
    return [r for r in out if r]


def _alter_rules(cmd: ast.AlterTableCmd, fresh: bool) -> list[str]:
    t, d = cmd.subtype, cmd.def_
    if t == AT.AT_AlterColumnType and not fresh:
        return ["alter-column-type"]
    if t == AT.AT_DropColumn:
        return ["drop-column"]
    if t == AT.AT_AddColumn and isinstance(d, ast.ColumnDef):
        kinds = {c.contype for c in d.constraints or ()}
        rules = ["timestamp-without-time-zone"] if _is_timestamp(d) else []
        filled = {ConstrType.CONSTR_DEFAULT, ConstrType.CONSTR_IDENTITY, ConstrType.CONSTR_GENERATED}
        if not fresh and ConstrType.CONSTR_NOTNULL in kinds and not kinds & filled:
            rules.append("not-null-column-without-default")
        return rules
    if t == AT.AT_AddConstraint and isinstance(d, ast.Constraint) and not fresh and not d.skip_validation:
        return ["constraint-without-not-valid"] if d.contype in (ConstrType.CONSTR_CHECK, ConstrType.CONSTR_FOREIGN) else []
    return []


def _type_name(d: ast.ColumnDef) -> str:
    return d.typeName.names[-1].sval if d.typeName is not None else ""


def _is_timestamp(d: ast.ColumnDef) -> bool:
    return _type_name(d) == "timestamp"


def _create_rules(node: ast.CreateStmt) -> list[str]:
    cols = [e for e in node.tableElts or () if isinstance(e, ast.ColumnDef)]
    out = ["timestamp-without-time-zone" for c in cols if _is_timestamp(c)][:1]
    pk_cols = {c.colname for c in cols for k in c.constraints or () if k.contype == ConstrType.CONSTR_PRIMARY}
    pk_cols |= {s.sval for e in node.tableElts or () if isinstance(e, ast.Constraint)
                and e.contype == ConstrType.CONSTR_PRIMARY for s in e.keys or ()}
    small = {"int2", "int4", "serial", "smallserial", "serial4", "serial2"}
    if any(c.colname in pk_cols and _type_name(c) in small for c in cols):
        out.append("integer-primary-key")
    return out


def _too_long(sql: str) -> bool:
    """An identifier over 63 bytes (the parser has truncated it already, so read the scanner's tokens)."""
    data = sql.encode()
    try:
        tokens = pglast.parser.scan(sql)
    except pglast.parser.ParseError:
        return False
    for t in tokens:
        if t.name == "IDENT":
            word = data[t.start:t.end + 1]
            if word.startswith(b'"'):
                word = word[1:-1].replace(b'""', b'"')
            if len(word) > 63:
                return True
    return False
