"""Values as a person reads them: NULL apart from '', JSON pretty, long text and bytes cut with their size."""

from __future__ import annotations

import json
from dataclasses import dataclass
from datetime import date, datetime, time
from decimal import Decimal
from typing import Any

TEXT_LIMIT = 200
FULL_LIMIT = 10_000  # the folded rest of a long value, cut too: a page of 1 MB values stays small
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
        return _cut("{" + ", ".join(_elements(value)) + "}")
    if isinstance(value, (dict, list)):
        short = json.dumps(value, ensure_ascii=False, default=str)
        if len(short) <= 80:
            return Shown(short, "json")
        pretty = json.dumps(value, indent=2, ensure_ascii=False, default=str) if len(short) <= FULL_LIMIT else short
        return Shown(short[:80] + "…", "json", _fold(pretty))
    if isinstance(value, datetime):
        return Shown(value.isoformat(sep=" "))
    if isinstance(value, (date, time, Decimal, int, float)):
        return Shown(str(value))
    return _cut(str(value))


def _elements(items: list[Any]) -> list[str]:
    """An array's elements as shown, only as many as the page can show (a 10,000-element array stays cheap)."""
    out, size = [], 0
    for i, v in enumerate(items):
        if size > FULL_LIMIT - 100:  # the note stays inside the folded part
            out.append(f"… {len(items) - i:,} more of {len(items):,} elements")
            break
        out.append(show(v, isinstance(v, list)).text)
        size += len(out[-1]) + 2
    return out


def _cut(text: str) -> Shown:
    if len(text) <= TEXT_LIMIT:
        return Shown(text)
    return Shown(f"{text[:TEXT_LIMIT]}… ({len(text):,} characters)", "truncated", _fold(text))


def _fold(text: str) -> str:
    if len(text) <= FULL_LIMIT:
        return text
    return f"{text[:FULL_LIMIT]}\n… cut at {FULL_LIMIT:,} of {len(text):,} characters (the SQL console's CSV has it all)"


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
