"""Deterministic snapshot JSON of a Database, with an id and the parent's id."""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable
from typing import Any

import orjson

from ..errors import SchemaError, SnapshotError
from . import model, validate

VERSION = 1
_NESTED = {
    "enums": model.Enum,
    "extensions": model.Extension,
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


_PLANS: dict[type, tuple[tuple[str, type | None, str], ...]] = {}


def _plan(cls: type) -> tuple[tuple[str, type | None, str], ...]:
    """(name, nested model class, annotation) of each field."""
    plan = _PLANS.get(cls)
    if plan is None:
        plan = _PLANS[cls] = tuple((f.name, _NESTED.get(f.name), f.type) for f in dataclasses.fields(cls))
    return plan


def _build(cls: type, data: Any, path: str) -> Any:
    if data is None:
        return None
    if not isinstance(data, dict):
        raise SnapshotError(f"{path}: expected an object, got {_short(data)}")
    kwargs = {}
    for name, sub, annotation in _plan(cls):
        if name not in data:
            continue
        value, where = data[name], f"{path}.{name}".lstrip(".")
        if sub is not None and isinstance(value, list):
            value = tuple(_build(sub, v, f"{where}[{n}]") if isinstance(v, dict) else v for n, v in enumerate(value))
        elif sub is not None and isinstance(value, dict):
            value = _build(sub, value, where)
        elif isinstance(value, list):
            value = tuple(value)
        if not _fits(value, annotation):
            raise SnapshotError(f"{where}: expected {annotation}, got {_short(data[name])}")
        kwargs[name] = value
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise SnapshotError(f"{path or 'top level'}: {exc}") from None


def _fits(value: Any, annotation: str) -> bool:
    """Whether `value` has the type a model field's annotation (a string) names."""
    return any(check(value) for check in _checks(annotation))


@functools.cache
def _checks(annotation: str) -> tuple[Callable[[Any], bool], ...]:
    """One predicate per alternative of an annotation such as `tuple[str, ...] | None`."""
    out: list[Callable[[Any], bool]] = []
    for alt in (a.strip() for a in annotation.split(" | ")):
        if alt in _SIMPLE:
            out.append(_SIMPLE[alt])
        elif alt.startswith("tuple["):
            inner = [p.strip() for p in alt[6:-1].split(",")]
            if inner[-1] == "...":
                out.append(lambda v, t=inner[0]: isinstance(v, tuple) and all(_fits(x, t) for x in v))
            else:
                out.append(lambda v, ts=tuple(inner): isinstance(v, tuple) and len(v) == len(ts)
                           and all(_fits(x, t) for x, t in zip(v, ts, strict=True)))
        else:
            cls = getattr(model, alt)
            out.append(lambda v, c=cls: isinstance(v, c))
    return tuple(out)


_SIMPLE: dict[str, Callable[[Any], bool]] = {
    "None": lambda v: v is None,
    "str": lambda v: isinstance(v, str),
    "bool": lambda v: isinstance(v, bool),
    "int": lambda v: isinstance(v, int) and not isinstance(v, bool),
}


def _short(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 60 else text[:57] + "..."


def loads(text: str) -> tuple[model.Database, str, str | None]:
    """Parse and validate snapshot JSON; return (database, id, parent id).

    Raises:
        SnapshotError: the text is not a snapshot, or a value would not compile from a schema module.
    """
    try:
        data = orjson.loads(text)
    except ValueError as exc:  # orjson.JSONDecodeError is one
        raise SnapshotError(f"not JSON ({exc})") from None
    if not isinstance(data, dict) or not isinstance(data.get("id"), str):
        raise SnapshotError("id: expected a string")
    if not isinstance(data.get("parent"), (str, type(None))):
        raise SnapshotError("parent: expected a string or null")
    db = _build(model.Database, data, "")
    try:
        validate.database(db)
    except SchemaError as exc:
        raise SnapshotError(str(exc)) from None
    return db, data["id"], data.get("parent")
