"""What SQL text holds, read by PostgreSQL's own scanner (pglast): string constants, names, a trailing comment."""

from __future__ import annotations

import re
from functools import lru_cache

from .quote import ident, literal


@lru_cache(maxsize=4096)
def _tokens(text: str) -> tuple[tuple[str, str], ...]:
    """(token name, token text) of an SQL fragment; empty when it does not scan."""
    from pglast.parser import ParseError, scan  # pglast costs ~0.1 s to import: only when used

    try:  # offsets are in characters, the end inclusive
        return tuple((t.name, text[t.start:t.end + 1]) for t in scan(text))
    except ParseError:
        return ()


def _string_value(token: str) -> str | None:
    from pglast import parse_sql
    from pglast.parser import ParseError

    try:
        return parse_sql(f"SELECT {token}")[0].stmt.targetList[0].val.val.sval
    except (ParseError, AttributeError, IndexError):
        return None


@lru_cache(maxsize=4096)
def string_constants(text: str) -> frozenset[str]:
    """The values of the string constants in `text` ('it''s', E'...', $$...$$ alike)."""
    return frozenset(v for name, tok in _tokens(text) if name == "SCONST" and (v := _string_value(tok)) is not None)


@lru_cache(maxsize=4096)
def names(text: str) -> frozenset[str]:
    """The identifiers and keywords in `text`, as PostgreSQL folds them ("Quoted" kept, bare lower-cased)."""
    out = set()
    for name, tok in _tokens(text):
        if name in ("SCONST", "SQL_COMMENT", "C_COMMENT") or name.startswith("ASCII_"):
            continue
        out.add(_folded(tok))
    return frozenset(out)


def terminate(statement: str) -> str:
    """`statement` ending in one semicolon; on a line of its own when the text ends in a -- comment."""
    body = statement.rstrip().rstrip(";").rstrip()
    if "--" not in body[body.rfind("\n") + 1:]:  # the common case, without scanning
        return body + ";"
    tokens = _tokens(body)
    return body + ("\n;" if tokens and tokens[-1][0] == "SQL_COMMENT" else ";")


@lru_cache(maxsize=1024)
def _quoted_pattern(name: str) -> re.Pattern[str]:
    return re.compile(r'(?<![\w"])' + re.escape(ident(name)))


def rename_identifier(expr: str, old: str, new: str) -> str:
    """`expr` with each quoted mention of identifier `old` now naming `new`."""
    replacement = ident(new)
    return _quoted_pattern(old).sub(lambda _: replacement, expr)


def is_not_null(column: str) -> str:
    """The CHECK body that stands for NOT NULL on `column` while an online SET NOT NULL runs."""
    return f"{ident(column)} IS NOT NULL"


def without_schema(text: str, schema: str) -> str:
    """`text` with each `schema.` qualifier removed, read by the scanner (strings and comments stay as written).

    A project with tenants writes its tenant objects this way: unqualified, placed by each tenant's search_path."""
    from pglast.parser import ParseError, scan

    try:
        tokens = scan(text)
    except ParseError:
        return text
    edits = [(a.start, b.end + 1, "") for a, b in zip(tokens, tokens[1:], strict=False)
             if a.name == "IDENT" and b.name == "ASCII_46" and _folded(text[a.start:a.end + 1]) == schema]
    edits += [(a.start, a.end + 1, literal(without_schema(_string_value(text[a.start:a.end + 1]), schema)))
              for a, b, c in zip(tokens, tokens[1:], tokens[2:], strict=False)  # nextval('"public"."s"'::regclass)
              if a.name == "SCONST" and text[a.start] == "'" and b.name == "TYPECAST"
              and text[c.start:c.end + 1].lower() == "regclass"]
    pieces, at = [], 0
    for start, end, replacement in sorted(edits):
        pieces += [text[at:start], replacement]
        at = end
    return "".join(pieces) + text[at:]


def _folded(token: str) -> str:
    return token[1:-1].replace('""', '"') if token.startswith('"') else token.lower()
