"""Generated Python modules (db_pull, db_models) as `ruff format` writes them."""

from __future__ import annotations

import importlib.util
import os
import re
import subprocess
import sys
from pathlib import Path

from ..api.background import Later

# a top-level assignment (`name = ...` at the start of a line): where a pulled module may be cut
_ASSIGNMENT = re.compile(r"^[A-Za-z_]\w* = ", re.MULTILINE)
_PART = 200_000  # characters: below this, one ruff process (a part costs a process start)


def ruff_format(text: str, path: Path | None, parts: int = 1) -> str:
    """`text` as `ruff format` writes it, with the project's ruff settings (unchanged if ruff is not installed).

    `parts` > 1: a long module made of top-level assignments (db_pull's) is cut between two of them
    and the parts are formatted side by side, on as many cores; if a part does not parse (a cut
    inside a string), the whole text is formatted in one piece."""
    command = _ruff()
    if command is None:
        return text
    name = str(path or Path.cwd() / "schema.py")
    pieces = _cut(text, min(parts, os.cpu_count() or 1, 1 + len(text) // _PART))
    later = [Later(lambda piece=piece: _format(command, name, piece)) for piece in pieces[1:]]
    out = [_format(command, name, pieces[0]), *(run.result() for run in later)]
    if None in out:
        return ruff_format(text, path) if len(pieces) > 1 else text
    return "\n".join(out)  # type: ignore[arg-type]


def _format(command: list[str], name: str, text: str) -> str | None:
    r = subprocess.run([*command, "format", "--stdin-filename", name, "-"],
                       input=text, capture_output=True, text=True, timeout=60)
    return r.stdout if r.returncode == 0 and r.stdout else None


def _ruff() -> list[str] | None:
    if importlib.util.find_spec("ruff") is None:
        return None
    try:  # ruff's own binary: `python -m ruff` would start a second Python only to exec it
        from ruff import find_ruff_bin

        return [find_ruff_bin()]
    except (ImportError, FileNotFoundError):
        return [sys.executable, "-m", "ruff"]


def _cut(text: str, parts: int) -> list[str]:
    """`text` in up to `parts` pieces, each cut at a blank line between two top-level assignments (so
    formatting the pieces and joining them with a blank line is formatting the whole)."""
    starts = [m.start() for m in _ASSIGNMENT.finditer(text)]
    pieces, begin = [], 0
    for k in range(1, parts):
        goal = len(text) * k // parts
        # the first assignment past the goal that follows another assignment after one blank line
        cut = next((s for a, s in zip(starts, starts[1:], strict=False)
                    if s > max(goal, begin) and a >= begin and text[s - 2:s] == "\n\n" and _only_assignment(text[a:s - 1])), None)
        if cut is None:
            break
        pieces.append(text[begin:cut - 1])
        begin = cut
    return [*pieces, text[begin:]]


def _only_assignment(statement: str) -> bool:
    """One top-level assignment: after its first line, only indented lines and closing brackets."""
    return re.search(r"\n[^\s)\]}]", statement) is None
