"""Deterministic snapshot JSON of a Database, with an id and the parent's id."""

from __future__ import annotations

import contextlib
import dataclasses
import functools
import gc
import hashlib
import importlib.util
import json
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import orjson

from ..errors import SchemaError, SnapshotError
from . import model
from .cachefiles import cache_dir, read_entry, write_entry

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


def _encode(obj: Any, full: bool, memo: dict[int, dict[str, Any]] | None) -> dict[str, Any]:
    if memo is not None and id(obj) in memo:  # met again (columns shared by tables): one dict, built once
        return memo[id(obj)]
    out: dict[str, Any] = {} if memo is None else memo.setdefault(id(obj), {})  # ids: all alive till the end
    for name, how, omit in _encoder(type(obj), full):
        value = getattr(obj, name)
        if value is None or how == _SCALAR:
            if value is not omit:  # `omit` is a bool default (validated, valid) or Bad, which no value is
                out[name] = value
        elif how == _MANY:
            out[name] = [_encode(v, full, memo) for v in value]
        elif how == _LIST:
            out[name] = list(value)
        else:
            out[name] = _encode(value, full, memo)
    return out


def plain(db: model.Database, full: bool = False) -> dict[str, Any]:
    """The snapshot's data as plain dicts and lists; `full` keeps what `==` ignores (renames, CONCURRENTLY)."""
    return _encode(db, full, None)


def dumps(db: model.Database, snapshot_id: str, parent: str | None) -> str:
    """Return the snapshot JSON text: sorted keys, objects in name order, a final newline.

    orjson writes the same bytes as `json.dumps(indent=2, sort_keys=True, ensure_ascii=False)`, in C."""
    data = {"version": VERSION, "dialect": "postgresql", "id": snapshot_id, "parent": parent, **_encode(db, False, {})}
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


@contextlib.contextmanager
def gc_paused() -> Iterator[None]:
    """No cycle collection inside: model objects form no cycles, and building tens of thousands of them
    otherwise triggers full collections that walk them (and the whole heap) in vain, a quarter of
    db_status's CPU."""
    was = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was:
            gc.enable()


def build(cls: type, data: Any) -> Any:
    """An instance of model class `cls` from plain data; raises Bad naming the path of what does not fit."""
    with gc_paused():
        try:
            return _fast(cls, data)
        except _Slow:  # something the fast path does not take: the precise path accepts it or says why not
            return _build(cls, data)


def _build(cls: type, data: Any) -> Any:
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


# ---------------------------------------------------------------- the fast path: exact types only, checked inline


class _Slow(Exception):
    """The fast path met something other than the exact types it checks: the precise path decides."""


class _Absent:
    """The type of a field left out of the data (a sentinel no JSON value is)."""


_MISSING = _Absent()
_STR, _BOOL, _INT, _STRS, _OBJ, _OBJS, _TRIPLE, _ABSENT = range(8)
_TYPES = {_STR: str, _BOOL: bool, _INT: int, _STRS: list, _OBJ: dict, _OBJS: list, _TRIPLE: list}


@dataclasses.dataclass
class _Plan:
    """How the fast path builds one class: its fields in the constructor's order and what each may hold."""

    names: tuple[str, ...]
    defaults: tuple[Any, ...]  # what an absent field reads as: its default, or _MISSING (required, or a tuple)
    kinds: tuple[tuple[int, bool, Any, bool], ...]  # (kind, nullable, nested class, the default is a tuple)
    seen: dict[tuple[type, ...], tuple[tuple[int, int, Any], ...]]  # valid types -> (position, kind, class) to convert


_FAST: dict[type, _Plan] = {}


def _fast_plan(cls: type) -> _Plan:
    kinds, defaults = [], []
    for f in dataclasses.fields(cls):
        alts = [a.strip() for a in f.type.split(" | ")]
        (alt,) = [a for a in alts if a != "None"]
        nested: Any = None
        if alt == "tuple[str, ...]":
            kind = _STRS
        elif alt == "tuple[str, str, str]":
            kind = _TRIPLE
        elif alt.startswith("tuple["):
            kind, nested = _OBJS, getattr(model, alt[6:-6])
        elif alt[0].isupper():
            kind, nested = _OBJ, getattr(model, alt)
        else:
            kind = {"str": _STR, "bool": _BOOL, "int": _INT}[alt]
        tuple_default = isinstance(f.default, tuple)  # cannot stand for itself: a tuple in the data is refused
        kinds.append((kind, "None" in alts, nested, tuple_default))
        defaults.append(_MISSING if f.default is dataclasses.MISSING or tuple_default else f.default)
    names = tuple(f.name for f in dataclasses.fields(cls))
    plan = _FAST[cls] = _Plan(names, tuple(defaults), tuple(kinds), {})
    return plan


def _learn(plan: _Plan, sig: tuple[type, ...]) -> tuple[tuple[int, int, Any], ...]:
    """The positions of lists, objects and absent tuples for fields of these types; raise _Slow if they do not fit."""
    todo = []
    for i, (t, (kind, nullable, sub, tuple_default)) in enumerate(zip(sig, plan.kinds, strict=True)):
        if t is _TYPES[kind]:
            if kind >= _STRS:
                todo.append((i, kind, sub))
        elif t is _Absent and tuple_default:
            todo.append((i, _ABSENT, ()))
        elif not (t is type(None) and nullable):
            raise _Slow
    out = plan.seen[sig] = tuple(todo)
    return out


def _fast(cls: type, data: Any) -> Any:
    """`cls` from plain data of exactly the expected types (str, bool, int, list, dict); else raise _Slow."""
    return _many(cls, [data])[0]


def _many(cls: type, items: Any) -> tuple[Any, ...]:
    """A tuple of `cls` from a list of plain data: one frame for the whole list, nothing looked up twice."""
    if type(items) is not list:
        raise _Slow
    plan = _FAST.get(cls) or _fast_plan(cls)
    names, defaults, seen = plan.names, plan.defaults, plan.seen
    shared = _FAST_COLUMNS if cls is _COLUMN else None  # columns repeat (id, created_at...): one instance serves
    out = []
    for data in items:
        if type(data) is not dict:
            raise _Slow
        if shared is not None:
            try:  # the types too: True == 1, and a column's data must never match another's by that
                given = tuple(data.values())
                key = (tuple(data), given, tuple(map(type, given)))
                hit = shared.get(key)
            except TypeError:  # an identity (a dict): no sharing
                key = hit = None
            if hit is not None:
                out.append(hit)
                continue
        vals = list(map(data.get, names, defaults))
        sig = tuple(map(type, vals))
        todo = seen.get(sig)
        for i, kind, sub in _learn(plan, sig) if todo is None else todo:
            if kind is _OBJS:
                vals[i] = _many(sub, vals[i])
            elif kind is _ABSENT:
                vals[i] = sub  # the default, ()
            elif kind is _OBJ:
                vals[i] = _many(sub, [vals[i]])[0]
            else:
                v = vals[i]
                for x in v:
                    if type(x) is not str:
                        raise _Slow
                if kind is _TRIPLE and len(v) != 3:
                    raise _Slow
                vals[i] = tuple(v)
        obj = cls(*vals)
        if shared is not None and key is not None:
            shared[key] = obj
        out.append(obj)
    return tuple(out)


_COLUMN = model.Column
_FAST_COLUMNS: dict[tuple, model.Column] = {}


@functools.cache
def _converter(annotation: str) -> Convert:
    """A function returning a value of `annotation`'s type (lists become tuples) or raising Bad."""
    alts = [a.strip() for a in annotation.split(" | ")]
    nullable = "None" in alts
    (alt,) = [a for a in alts if a != "None"]  # every model field is one type, or one type or None

    def refuse(value: Any) -> Any:
        raise Bad("", f"expected {annotation}, got {_short(value)}")

    if alt.startswith("tuple["):
        inner = [p.strip() for p in alt[6:-1].split(",")]
        if inner[-1] == "...":
            return _sequence_converter(inner[0], nullable, refuse)
        return _tuple_converter(inner, nullable, refuse)
    if alt[0].isupper():
        return _object_converter(getattr(model, alt), nullable)
    return _scalar_converter(alt, nullable, refuse)


def _sequence_converter(item: str, nullable: bool, refuse: Convert) -> Convert:
    one, objects = _converter(item), item[0].isupper()

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
    return convert


def _tuple_converter(inner: list[str], nullable: bool, refuse: Convert) -> Convert:
    parts = tuple(_converter(p) for p in inner)

    def convert(value: Any) -> Any:
        if type(value) is list and len(value) == len(parts):
            try:
                return tuple([c(v) for c, v in zip(parts, value, strict=True)])
            except Bad:
                pass
        return None if value is None and nullable else refuse(value)
    return convert


def _object_converter(cls: type, nullable: bool) -> Convert:
    def convert(value: Any) -> Any:
        if value is None and nullable:
            return None
        return _build(cls, value)
    return convert


def _scalar_converter(alt: str, nullable: bool, refuse: Convert) -> Convert:
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
    memo = _memo_path(text)
    if memo is None or read_entry(memo) is None:
        from . import validate  # pglast: loaded only when a snapshot is read, and not yet known valid

        try:
            validate.database(db)
        except SchemaError as exc:
            raise SnapshotError(str(exc)) from None
        if memo is not None:
            write_entry(memo, {}, b"")
    return db, data["id"], data.get("parent")


def _memo_path(text: str) -> Path | None:
    """The cache file whose presence says this very text passed validate.database, by the same rules.

    The key hashes the text with the rules' sources (this package, the quoting, pglast's version), so
    an edit of either validates again. The cache is trusted as the compiled-schema cache is."""
    folder = cache_dir()
    if folder is None:
        return None
    digest = hashlib.sha256(_rules_digest())
    digest.update(text.encode())
    return folder / "valid" / f"{digest.hexdigest()}.json"


@functools.cache
def _rules_digest() -> bytes:
    here = Path(__file__).resolve().parent
    pglast = importlib.util.find_spec("pglast")
    files = [*sorted(here.glob("*.py")), here.parent / "pg" / "quote.py"]
    files += [Path(pglast.origin)] if pglast is not None and pglast.origin else []  # holds __version__
    digest = hashlib.sha256(b"snapshot-valid 1")
    for f in files:
        try:
            digest.update(f.read_bytes())
        except OSError:
            digest.update(b"missing " + str(f).encode())
    return digest.digest()
