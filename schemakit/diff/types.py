"""Type-change rules: which casts need USING and which may lose data."""

from __future__ import annotations

import re

from ..pg.quote import ident

_INTS = ["smallint", "integer", "bigint"]
_MOD = re.compile(r"^(.*?)(?:\((\d+)(?:,(\d+))?\))?( with(?:out)? time zone)?(\[\])?$")
_STRINGS = ("text", "character varying", "character")


def _split(t: str) -> tuple[str, int | None, int | None, bool]:
    m = _MOD.match(t)
    assert m is not None
    base = m.group(1) + (m.group(4) or "")
    p = int(m.group(2)) if m.group(2) else None
    s = int(m.group(3)) if m.group(3) else None
    return base, p, s, bool(m.group(5))


def _implicit(old: str, new: str) -> bool:
    """True when PostgreSQL converts old to new by assignment, so no USING is needed."""
    ob, _, _, oa = _split(old)
    nb, _, _, na = _split(new)
    if oa != na:
        return False
    if ob == nb:
        return True
    if ob in _STRINGS and nb in _STRINGS:
        return True
    if ob in _INTS and nb in _INTS + ["numeric", "real", "double precision"]:
        return True
    if ob == "numeric" and nb in ("real", "double precision"):
        return True
    return ob == "real" and nb == "double precision"


def cast_using(column: str, old: str, new: str) -> str | None:
    """Return the USING expression for a type change, or None where none is needed."""
    if _implicit(old, new):
        return None
    col = ident(column)
    if old.startswith('"') or new.startswith('"'):  # enums and other user types go through text
        arr = "[]" if new.endswith("[]") else ""
        return f"{col}::text{arr}::{new}"
    return f"{col}::{new}"


def is_narrowing(old: str, new: str) -> bool:
    """True when some values of type `old` may not fit in `new` (or the cast can fail)."""
    ob, op, os_, oa = _split(old)
    nb, np_, ns, na = _split(new)
    if ob in _INTS and nb in _INTS:
        return _INTS.index(nb) < _INTS.index(ob)
    if ob in _STRINGS and nb in _STRINGS:
        if nb == "text":
            return False
        return op is None or (np_ is not None and np_ < op) or ob == "text"
    if ob == "numeric" and nb == "numeric":
        if np_ is None:
            return False
        if op is None:
            return True
        return np_ - (ns or 0) < op - (os_ or 0) or (ns or 0) < (os_ or 0)
    if ob == nb:
        return (np_ or 0) < (op or 0)
    return not _implicit(old, new)
