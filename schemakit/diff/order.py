"""Dependency order of views: a view that mentions another comes after it."""

from __future__ import annotations

import re
from functools import lru_cache

from ..schema import model


@lru_cache(maxsize=4096)
def _pattern(name: str) -> re.Pattern[str]:
    quoted = re.escape('"' + name.replace('"', '""') + '"')
    bare = r"(?<![\w$])" + re.escape(name) + r"(?![\w$])"
    return re.compile(f"{quoted}|{bare}", re.IGNORECASE)


_WORD = re.compile(r"[\w$]+")
_ASCII_WORD = re.compile(r"[A-Za-z0-9_$]+")


@lru_cache(maxsize=4096)
def _words(query: str) -> frozenset[str]:
    """Every run of word characters in `query`, lower-cased: read once per query, not once per name."""
    return frozenset(w.lower() for w in _WORD.findall(query))


def mentions(query: str, name: str) -> bool:
    """True when `query` may refer to relation `name` (conservative: a word match).

    In ASCII text, a name of ASCII word characters is a set lookup (a bare or quoted mention is a whole
    run of word characters); anything else is searched for, case folded as the search folds it."""
    if _ASCII_WORD.fullmatch(name) and query.isascii():
        return name.lower() in _words(query)
    return bool(_pattern(name).search(query))


def view_order(views: list[model.View]) -> list[tuple[str, str]]:
    """Return view keys so that every view comes after the views it mentions."""
    by_key = {v.key: v for v in sorted(views, key=lambda v: v.key)}
    done: list[tuple[str, str]] = []
    seen: set[tuple[str, str]] = set()

    def visit(key: tuple[str, str], stack: frozenset) -> None:
        if key in seen or key in stack:
            return
        v = by_key[key]
        for other in by_key:
            if other != key and mentions(v.query, other[1]):
                visit(other, stack | {key})
        seen.add(key)
        done.append(key)

    for key in by_key:
        visit(key, frozenset())
    return done
