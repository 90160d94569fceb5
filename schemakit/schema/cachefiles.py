"""Files of the on-disk cache: where it lives, and entries that are written whole and read back only intact."""

from __future__ import annotations

import hashlib
import os
from pathlib import Path
from typing import Any

import orjson


def cache_dir() -> Path | None:
    """Where canonical forms and compiled schemas are cached; SCHEMAKIT_CACHE_DIR overrides, "off" disables."""
    value = os.environ.get("SCHEMAKIT_CACHE_DIR")
    if value == "off":
        return None
    if value:
        return Path(value)
    import platformdirs

    return Path(platformdirs.user_cache_dir("schemakit")) / "canonical"


def model_json(db: Any) -> bytes:
    """The JSON of snapshot.plain(db, full=True), the body of a model's cache entry, in half its time:
    orjson writes the dataclasses themselves, every field in declaration order and tuples as lists.
    TypeError: an integer past 64 bits."""
    return orjson.dumps(db)


def read_entry(path: Path) -> tuple[dict[str, Any], bytes] | None:
    """(head, body) of a cache entry, or None when there is none or its body does not match its hash."""
    try:
        head, _, body = path.read_bytes().partition(b"\n")
        data = orjson.loads(head)
        # damaged: a missing field would read as its default, a wrong schema
        return (data, body) if data["db"] == hashlib.sha256(body).hexdigest() else None
    except (OSError, ValueError, KeyError, TypeError):
        return None


def write_entry(path: Path, head: dict[str, Any], body: bytes) -> None:
    """One line of what the entry depends on (and the body's hash), then the compiled schema."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        tmp = path.with_suffix(f".{os.getpid()}.tmp")
        tmp.write_bytes(orjson.dumps({**head, "db": hashlib.sha256(body).hexdigest()}) + b"\n" + body)
        tmp.replace(path)
    except OSError:
        pass  # the cache is an optimisation only
