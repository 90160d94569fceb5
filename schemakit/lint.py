"""Named lint rules for pending SQL: statements that lock, rewrite or lose data on a live database."""

from __future__ import annotations

import re
from dataclasses import dataclass

# rule name -> (pattern over one statement, why it is risky)
RULES: dict[str, tuple[re.Pattern[str], str]] = {
    "drop-table": (re.compile(r"^\s*DROP\s+TABLE\b", re.I | re.M), "drops a table and its rows"),
    "drop-column": (re.compile(r"\bDROP\s+COLUMN\b", re.I), "drops a column and its data"),
    "alter-column-type": (re.compile(r"\bSET\s+DATA\s+TYPE\b", re.I), "rewrites the table under an ACCESS EXCLUSIVE lock; the cast may fail"),
    "set-not-null": (re.compile(r"\bSET\s+NOT\s+NULL\b", re.I), "scans the table under an ACCESS EXCLUSIVE lock unless a validated CHECK proves it"),
    "index-without-concurrently": (re.compile(r"^\s*CREATE\s+(UNIQUE\s+)?INDEX\s+(?!CONCURRENTLY)", re.I | re.M), "blocks writes to the table while it builds"),
    "foreign-key-validating": (re.compile(r"\bADD\s+CONSTRAINT\b[^;]*\bFOREIGN\s+KEY\b(?![^;]*\bNOT\s+VALID\b)", re.I | re.S), "validates every row while locking both tables"),
    "rename": (re.compile(r"\bRENAME\b", re.I), "running application code still uses the old name"),
    "enum-value-removal": (re.compile(r"\bRENAME\s+TO\s+\"[^\"]*__old\"", re.I), "swaps an enum type: fails if rows hold a removed value"),
    "drop-enum-or-schema": (re.compile(r"^\s*DROP\s+(TYPE|SCHEMA)\b", re.I | re.M), "drops a type or a schema"),
}
FRESH_TABLE = re.compile(r'^\s*CREATE\s+TABLE\s+("[^"]*(?:""[^"]*)*"\."[^"]*(?:""[^"]*)*")', re.I | re.M)


@dataclass(frozen=True)
class Finding:
    file: str
    statement: int
    rule: str
    why: str

    def __str__(self) -> str:
        return f"{self.file}: statement {self.statement}: [{self.rule}] {self.why}"


def lint(file: str, statements: list[str]) -> list[Finding]:
    """Return the findings for one migration file's statements (1-based numbers)."""
    created = {m.group(1) for s in statements for m in FRESH_TABLE.finditer(s)}
    out = []
    for n, statement in enumerate(statements, 1):
        on_new_table = any(name in statement for name in created) and not statement.lstrip().upper().startswith("CREATE TABLE")
        for rule, (pattern, why) in RULES.items():
            if pattern.search(statement) and not (on_new_table and rule in ("index-without-concurrently", "foreign-key-validating", "set-not-null")):
                out.append(Finding(file, n, rule, why))
    return out
