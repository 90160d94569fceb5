"""Deterministic snapshot JSON of a Database, with an id and the parent's id."""

from __future__ import annotations

import dataclasses
import json
from typing import Any

import orjson

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


_FIELDS: dict[type, tuple[str, ...]] = {}
_OMITTED: dict[type, dict[str, Any]] = {}  # fields left out when they hold their default (live-database states)


def _fields(cls: type) -> tuple[str, ...]:
    names = _FIELDS.get(cls)
    if names is None:
        fields = [f for f in dataclasses.fields(cls) if f.compare]
        _OMITTED[cls] = {f.name: f.default for f in fields if f.metadata.get("snapshot") == "omit-default"}
        names = _FIELDS[cls] = tuple(f.name for f in fields)
    return names


_LEAVES = frozenset({str, int, bool, float, type(None)})


def _plain(obj: Any) -> Any:
    cls = type(obj)
    if cls in _LEAVES:
        return obj
    if cls is tuple or cls is list:
        return [_plain(x) for x in obj]
    if cls in _FIELDS or dataclasses.is_dataclass(obj):
        names = _fields(cls)
        omitted = _OMITTED[cls]
        return {name: _plain(getattr(obj, name)) for name in names
                if not (name in omitted and getattr(obj, name) == omitted[name])}
    return obj


def plain(db: model.Database) -> dict[str, Any]:
    """The snapshot's data as plain dicts and lists."""
    return _plain(db)


def dumps(db: model.Database, snapshot_id: str, parent: str | None) -> str:
    """Return the snapshot JSON text: sorted keys, objects in name order, a final newline.

    orjson writes the same bytes as `json.dumps(indent=2, sort_keys=True, ensure_ascii=False)`, in C.
    """
    data = {"version": VERSION, "dialect": "postgresql", "id": snapshot_id, "parent": parent, **_plain(db)}
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode() + "\n"
    except TypeError:  # a value orjson refuses (an integer past 64 bits): the standard library's encoder
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


_PLANS: dict[type, tuple[tuple[str, type | None], ...]] = {}


def _plan(cls: type) -> tuple[tuple[str, type | None], ...]:
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = tuple((f.name, _NESTED.get(f.name)) for f in dataclasses.fields(cls))
    return plan


def _build(cls: type, data: Any) -> Any:
    if data is None:
        return None
    kwargs = {}
    for name, sub in _plan(cls):
        if name not in data:
            continue
        value = data[name]
        if type(value) is list:
            if sub is None:
                value = tuple(value)
            else:
                value = tuple([_build(sub, v) if type(v) is dict else v for v in value])
        elif sub is not None and type(value) is dict:
            value = _build(sub, value)
        kwargs[name] = value
    return cls(**kwargs)


def loads(text: str) -> tuple[model.Database, str, str | None]:
    """Parse snapshot JSON; return (database, id, parent id)."""
    data = orjson.loads(text)
    return _build(model.Database, data), data["id"], data.get("parent")
