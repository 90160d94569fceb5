"""A migration file split into statements by PostgreSQL's own parser (pglast), not by lines or semicolons."""

from __future__ import annotations

import re
from dataclasses import dataclass
from functools import lru_cache

from ..errors import SqlSyntaxError

# the separator generated files carry between statements: a comment to the parser, kept so files stay byte-identical
BREAKPOINT = "--> statement-breakpoint"
_SPACE = re.compile(r"\s*")


@dataclass(frozen=True)
class Statement:
    sql: str  # the statement as the parser delimits it: no comment before it, no semicolon after it
    line: int  # the 1-based line its first token is on
    text: str  # its part of the file: the comments before it, the statement, the rest of its last line
    start: int = 0  # the character offset of `sql` in the file


def split(text: str, where: str = "SQL") -> list[Statement]:
    """The statements of `text`, in order; comment-only text has none.

    Raises:
        SqlSyntaxError: the parser cannot read `text`; names `where` and the line.
    """
    return list(_split(text, where))


@lru_cache(maxsize=256)
def _split(text: str, where: str) -> tuple[Statement, ...]:
    import pglast  # ~0.1 s to import: only when a file is split
    from pglast.parser import ParseError

    try:
        slices = pglast.split(text, only_slices=True)  # offsets in characters
    except ParseError as exc:
        message, at = (exc.args + (0,))[:2]
        message = re.sub(r'(at or near ")([^\n"]{0,40})[^"]*"$', r'\1\2…"', message) if "\n" in message else message
        line = text.count("\n", 0, at) + 1
        column = at - (text.rfind("\n", 0, at) + 1) + 1
        raise SqlSyntaxError(f"{where}: line {line}, column {column}: {message} [42601] (PostgreSQL's parser "
                             "cannot read the file, so it cannot be split into statements)", line, f"{message} (column {column})") from None
    out, begin, line, counted = [], 0, 1, 0
    for i, s in enumerate(slices):  # one pass: no copy of the rest of the text, lines counted as we go
        semicolon = _SPACE.match(text, s.stop).end()
        after = semicolon + 1 if text.startswith(";", semicolon) else s.stop
        newline = text.find("\n", after)
        # a comment after the semicolon, on the same line, belongs to this statement; the next starts below
        end = len(text) if newline < 0 or i + 1 == len(slices) else min(newline + 1, slices[i + 1].start)
        line += text.count("\n", counted, s.start)
        counted = s.start
        out.append(Statement(text[s], line, text[begin:end], s.start))
        begin = end
    return tuple(out)


def statements(text: str, where: str = "SQL") -> list[str]:
    """The SQL of each statement of `text` (see split)."""
    return [s.sql for s in split(text, where)]


def legacy_chunks(text: str) -> list[tuple[int, str]]:
    """(end offset, text) of each statement as schemakit split files before it used the parser: on
    breakpoint lines, dropping comment-only chunks. Only to read progress recorded by those versions."""
    out, pos = [], 0
    for piece in re.split(r"(^\s*" + re.escape(BREAKPOINT) + r"\s*$)", text, flags=re.MULTILINE):
        pos += len(piece)
        if re.fullmatch(r"\s*" + re.escape(BREAKPOINT) + r"\s*", piece):
            continue
        if any(ln.strip() and not ln.strip().startswith("--") for ln in piece.splitlines()):
            out.append((pos, piece.strip()))
    return out


def legacy_count(text: str, chunks: int) -> int:
    """How many statements the parser finds in the first `chunks` legacy chunks of `text`."""
    edge = legacy_chunks(text)[chunks - 1][0] if chunks else 0
    return sum(1 for s in split(text) if s.start < edge)
