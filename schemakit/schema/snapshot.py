"""Deterministic snapshot JSON of a Database, with an id and the parent's id."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

from . import model

VERSION = 1
_NESTED = {
    "enums": model.Enum,
    "sequences": model.Sequence,
    "tables": model.Table,
    "views": model.View,
    "columns": model.Column,
    "uniques": model.Unique,
    "checks": model.Check,
    "foreign_keys": model.ForeignKey,
    "indexes": model.Index,
    "primary_key": model.PrimaryKey,
    "identity": model.Identity,
}


def _plain(obj: Any) -> Any:
    if dataclasses.is_dataclass(obj):
        return {f.name: _plain(getattr(obj, f.name)) for f in dataclasses.fields(obj) if f.compare
                and not (f.metadata.get("snapshot") == "omit-default" and getattr(obj, f.name) == f.default)}
    if isinstance(obj, (tuple, list)):
        return [_plain(x) for x in obj]
    return obj


def plain(db: model.Database) -> dict[str, Any]:
    """The snapshot's data as plain dicts and lists."""
    return _plain(db)


def dumps(db: model.Database, snapshot_id: str, parent: str | None) -> str:
    """Return the snapshot JSON text: sorted keys, objects in name order, a final newline."""
    data = {"version": VERSION, "dialect": "postgresql", "id": snapshot_id, "parent": parent, **_plain(db)}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def _build(cls: type, data: Any) -> Any:
    if data is None:
        return None
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name not in data:
            continue
        value = data[f.name]
        sub = _NESTED.get(f.name)
        if sub is not None and isinstance(value, list):
            value = tuple(_build(sub, v) if isinstance(v, dict) else v for v in value)
        elif sub is not None and isinstance(value, dict):
            value = _build(sub, value)
        elif isinstance(value, list):
            value = tuple(value)
        kwargs[f.name] = value
    return cls(**kwargs)


def loads(text: str) -> tuple[model.Database, str, str | None]:
    """Parse snapshot JSON; return (database, id, parent id)."""
    data = json.loads(text)
    return _build(model.Database, data), data["id"], data.get("parent")
