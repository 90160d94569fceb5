"""Deterministic snapshot JSON of a Database, with an id and the parent's id."""

from __future__ import annotations

import dataclasses
import functools
import json
from collections.abc import Callable
from typing import Any

import orjson

from ..errors import SchemaError, SnapshotError
from . import model

VERSION = 1


class Bad(Exception):
    """A value that does not fit, with its path below the object being built."""

    def __init__(self, path: str, message: str) -> None:
        super().__init__(path, message)
        self.path, self.message = path, message

    def under(self, step: str) -> Bad:
        return Bad(step + (self.path if not self.path or self.path.startswith("[") else "." + self.path), self.message)


def _classes(annotation: str) -> list[type]:
    return [getattr(model, a.strip()) for a in annotation.replace("tuple[", "").replace(", ...]", "").split("|")
            if hasattr(model, a.strip())]


# ---------------------------------------------------------------- model -> plain data


_ENCODERS: dict[tuple[type, bool], tuple[tuple[str, int, Any], ...]] = {}
_SCALAR, _ONE, _MANY, _LIST = range(4)


def _encoder(cls: type, full: bool) -> tuple[tuple[str, int, Any], ...]:
    """(field, how to encode it, default that is left out or a sentinel) per field, computed once per class."""
    plan = _ENCODERS.get((cls, full))
    if plan is None:
        out = []
        for f in dataclasses.fields(cls):
            if not (f.compare or full):
                continue
            nested = _classes(f.type)
            how = (_MANY if f.type.startswith("tuple[") else _ONE) if nested else _LIST if f.type.startswith("tuple[") else _SCALAR
            omit = f.default if f.metadata.get("snapshot") == "omit-default" and not full else Bad
            out.append((f.name, how, omit))
        plan = _ENCODERS[(cls, full)] = tuple(out)
    return plan


def _encode(obj: Any, full: bool) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for name, how, omit in _encoder(type(obj), full):
        value = getattr(obj, name)
        if value is None or how == _SCALAR:
            if value is not omit:  # `omit` is a bool default (validated, valid) or Bad, which no value is
                out[name] = value
        elif how == _MANY:
            out[name] = [_encode(v, full) for v in value]
        elif how == _LIST:
            out[name] = list(value)
        else:
            out[name] = _encode(value, full)
    return out


def plain(db: model.Database, full: bool = False) -> dict[str, Any]:
    """The snapshot's data as plain dicts and lists; `full` keeps what `==` ignores (renames, CONCURRENTLY)."""
    return _encode(db, full)


def dumps(db: model.Database, snapshot_id: str, parent: str | None) -> str:
    """Return the snapshot JSON text: sorted keys, objects in name order, a final newline.

    orjson writes the same bytes as `json.dumps(indent=2, sort_keys=True, ensure_ascii=False)`, in C.
    """
    data = {"version": VERSION, "dialect": "postgresql", "id": snapshot_id, "parent": parent, **_encode(db, False)}
    try:
        return orjson.dumps(data, option=orjson.OPT_INDENT_2 | orjson.OPT_SORT_KEYS).decode() + "\n"
    except TypeError:  # a value orjson refuses (an integer past 64 bits): the standard library's encoder
        return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- plain data -> model, every value checked


Convert = Callable[[Any], Any]
_DECODERS: dict[type, tuple[tuple[str, Convert], ...]] = {}


def _decoder(cls: type) -> tuple[tuple[str, Convert], ...]:
    """(field, converter) per field: each converter checks one value against the field's annotation."""
    plan = _DECODERS.get(cls)
    if plan is None:
        plan = _DECODERS[cls] = tuple((f.name, _converter(f.type)) for f in dataclasses.fields(cls))
    return plan


def build(cls: type, data: Any) -> Any:
    """An instance of model class `cls` from plain data; raises Bad naming the path of what does not fit."""
    if type(data) is not dict:
        raise Bad("", f"expected an object, got {_short(data)}")
    kwargs = {}
    for name, convert in _decoder(cls):
        if name in data:
            try:
                kwargs[name] = convert(data[name])
            except Bad as bad:
                raise bad.under(name) from None
    if cls is model.Column:  # columns repeat (id, created_at...): one frozen instance serves them all
        key = tuple(kwargs.items())
        hit = _COLUMNS.get(key)
        if hit is None:
            hit = _COLUMNS[key] = _new(cls, kwargs)
        return hit
    return _new(cls, kwargs)


_COLUMNS: dict[tuple, model.Column] = {}


def _new(cls: type, kwargs: dict[str, Any]) -> Any:
    try:
        return cls(**kwargs)
    except TypeError as exc:
        raise Bad("", str(exc)) from None


@functools.cache
def _converter(annotation: str) -> Convert:
    """A function returning a value of `annotation`'s type (lists become tuples) or raising Bad."""
    alts = [a.strip() for a in annotation.split(" | ")]
    nullable = "None" in alts
    alts = [a for a in alts if a != "None"]
    (alt,) = alts  # every model field is one type, or one type or None

    def refuse(value: Any) -> Any:
        raise Bad("", f"expected {annotation}, got {_short(value)}")

    if alt.startswith("tuple["):
        inner = [p.strip() for p in alt[6:-1].split(",")]
        if inner[-1] == "...":
            one, objects = _converter(inner[0]), inner[0][0].isupper()

            def convert(value: Any) -> Any:
                if type(value) is list:
                    out = []
                    for n, v in enumerate(value):
                        try:
                            out.append(one(v))
                        except Bad as bad:
                            if not objects:
                                return refuse(value)
                            raise bad.under(f"[{n}]") from None
                    return tuple(out)
                return None if value is None and nullable else refuse(value)
        else:
            parts = tuple(_converter(p) for p in inner)

            def convert(value: Any) -> Any:
                if type(value) is list and len(value) == len(parts):
                    try:
                        return tuple([c(v) for c, v in zip(parts, value, strict=True)])
                    except Bad:
                        pass
                return None if value is None and nullable else refuse(value)
        return convert
    if alt[0].isupper():
        cls = getattr(model, alt)

        def convert(value: Any) -> Any:
            if value is None and nullable:
                return None
            return build(cls, value)
        return convert
    want = {"str": (str,), "bool": (bool,), "int": (int,)}[alt]

    def convert(value: Any) -> Any:
        if type(value) in want or (value is None and nullable):
            return value
        if alt != "bool" and isinstance(value, want[0]) and not isinstance(value, bool):
            return value  # a subclass (json's int from a big number is still int)
        return refuse(value)
    return convert


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
    try:
        db = build(model.Database, data)
    except Bad as bad:
        raise SnapshotError(f"{bad.path or 'top level'}: {bad.message}") from None
    from . import validate  # pglast: loaded only when a snapshot is read

    try:
        validate.database(db)
    except SchemaError as exc:
        raise SnapshotError(str(exc)) from None
    return db, data["id"], data.get("parent")
