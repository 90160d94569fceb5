"""PostgreSQL's default object names and canonical type spellings."""

from __future__ import annotations

import re

NAMEDATALEN = 64
MAX_IDENT_BYTES = NAMEDATALEN - 1


def _clip(name: str, nbytes: int) -> str:
    """Cut `name` to at most `nbytes` UTF-8 bytes without splitting a character."""
    out = name.encode()[:nbytes]
    return out.decode("utf-8", errors="ignore")


def object_name(name1: str, name2: str | None, label: str | None) -> str:
    """Build a name like PostgreSQL's makeObjectName(): `users_email_key`, clipped to 63 bytes."""
    b1, b2 = len(name1.encode()), len(name2.encode()) if name2 else 0
    overhead = (len(label) + 1 if label else 0) + (1 if name2 else 0)
    avail = MAX_IDENT_BYTES - overhead
    while b1 + b2 > avail:
        if b1 > b2:
            b1 -= 1
        else:
            b2 -= 1
    parts = [_clip(name1, b1)]
    if name2:
        parts.append(_clip(name2, b2))
    if label:
        parts.append(label)
    return "_".join(parts)


def pkey_name(table: str) -> str:
    return object_name(table, None, "pkey")


def unique_name(table: str, columns: tuple[str, ...]) -> str:
    return object_name(table, "_".join(columns), "key")


def check_name(table: str, column: str) -> str:
    return object_name(table, column, "check")


def fkey_name(table: str, columns: tuple[str, ...]) -> str:
    return object_name(table, "_".join(columns), "fkey")


def seq_name(table: str, column: str) -> str:
    return object_name(table, column, "seq")


_ALIASES = {
    "int": "integer",
    "int4": "integer",
    "int2": "smallint",
    "int8": "bigint",
    "float4": "real",
    "float8": "double precision",
    "float": "double precision",
    "bool": "boolean",
    "varchar": "character varying",
    "char": "character",
    "bpchar": "character",
    "decimal": "numeric",
    "timestamptz": "timestamp with time zone",
    "timestamp": "timestamp without time zone",
    "timetz": "time with time zone",
    "time": "time without time zone",
    "serial4": "serial",
    "serial8": "bigserial",
    "serial2": "smallserial",
}
_TYPE_RE = re.compile(r"^\s*([a-z_][a-z0-9_ ]*?)\s*(\(\s*[0-9 ,]+\))?\s*((?:\[\d*\])*)\s*$")


def canonical_type(spelling: str) -> str:
    """Return PostgreSQL's format_type() spelling of a built-in type written by hand."""
    m = _TYPE_RE.match(spelling.lower())
    if not m:
        return spelling.strip()
    base, mod, arr = m.group(1), m.group(2) or "", m.group(3) or ""
    base = " ".join(base.split())
    mod = mod.replace(" ", "")
    arr = "[]" if arr else ""  # format_type() shows one [] whatever the dimensions
    base, tz = _split_zone(base, "")
    base, tz = _split_zone(_ALIASES.get(base, base), tz)  # an alias may spell the zone out
    if base in ("timestamp", "time"):
        zone = "with time zone" if tz == "with" else "without time zone"
        return f"{base}{mod} {zone}{arr}"
    if base == "numeric" and mod and "," not in mod:
        mod = mod[:-1] + ",0)"
    if base == "character" and not mod:
        mod = "(1)"
    return f"{base}{mod}{arr}"


def _split_zone(base: str, tz: str) -> tuple[str, str]:
    for suffix, kind in ((" with time zone", "with"), (" without time zone", "without")):
        if base.endswith(suffix):
            return base[: -len(suffix)], tz or kind
    return base, tz
