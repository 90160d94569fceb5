"""Values as a person reads them: NULL apart from '', JSON pretty, long text and bytes cut with their size."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

TEXT_LIMIT = 200
BYTES_SHOWN = 16


@dataclass(frozen=True)
class Shown:
    """One cell: `text` is plain (templates escape it); `kind` picks the style; `full` is the folded rest."""

    text: str
    kind: str = "value"  # value, null, empty, json, truncated, bytes
    full: str | None = None


def show(value: Any, is_array: bool = False) -> Shown:
    """How `value` reads; `is_array` tells a PostgreSQL array from a JSON list (both arrive as lists)."""
    if value is None:
        return Shown("NULL", "null")
    if isinstance(value, str):
        if value == "":
            return Shown("(empty string)", "empty")
        return _cut(value)
    if isinstance(value, (bytes, memoryview)):
        raw = bytes(value)
        head = raw[:BYTES_SHOWN].hex()
        more = "…" if len(raw) > BYTES_SHOWN else ""
        return Shown(f"\\x{head}{more} ({len(raw):,} bytes)", "bytes")
    if isinstance(value, bool):
        return Shown("true" if value else "false")
    if isinstance(value, list) and is_array:
        return _cut("{" + ", ".join(show(v, isinstance(v, list)).text for v in value) + "}")
    if isinstance(value, (dict, list)):
        text = json.dumps(value, indent=2, ensure_ascii=False, default=str)
        short = json.dumps(value, ensure_ascii=False, default=str)
        if len(short) <= 80:
            return Shown(short, "json")
        return Shown(short[:80] + "…", "json", text)
    if isinstance(value, datetime):
        return Shown(value.isoformat(sep=" "))
    if isinstance(value, (date, time, Decimal, int, float)):
        return Shown(str(value))
    return _cut(str(value))


def _cut(text: str) -> Shown:
    if len(text) <= TEXT_LIMIT:
        return Shown(text)
    return Shown(f"{text[:TEXT_LIMIT]}… ({len(text):,} characters)", "truncated", text)


def as_text(value: Any, is_array: bool = False) -> str | None:
    """The value for a CSV cell or a form field: PostgreSQL's text form where it has one."""
    if value is None:
        return None
    if isinstance(value, list) and is_array:
        return "{" + ",".join(_array_item(v) for v in value) + "}"
    if isinstance(value, (dict, list)):
        return json.dumps(value, ensure_ascii=False)
    if isinstance(value, (bytes, memoryview)):
        return "\\x" + bytes(value).hex()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, datetime):
        return value.isoformat(sep=" ")
    return str(value)


def _array_item(value: Any) -> str:
    if value is None:
        return "NULL"
    if isinstance(value, list):
        return as_text(value, True) or ""
    text = as_text(value) or ""
    return '"' + text.replace("\\", "\\\\").replace('"', '\\"') + '"'
