"""Compile schema-language objects into the canonical model, validating as we go."""

from __future__ import annotations

import decimal
import importlib
import re
from collections.abc import Iterable
from typing import Any

from ..errors import SchemaError, SchemaImportError, located
from ..pg.quote import ident, python_default_literal
from . import dsl, model, validate
from .names import pkey_name, unique_name
from .references import External, column_constraints, known_columns, table_fk

COLLECTED = (dsl.Table, dsl.Enum, dsl.View, dsl.Sequence, dsl.Schema, dsl.Extension)
_SORT_RE = re.compile(r"^(.+?)\s+(asc|desc)?\s*(nulls\s+(?:first|last))?$", re.IGNORECASE)


def module_objects(paths: str | Iterable[str]) -> list[Any]:
    """Import schema module(s) by dotted path; return what they bind at module level."""
    objects: list[Any] = []
    for path in [paths] if isinstance(paths, str) else list(paths):
        try:  # inside cache.load's bytecode.from_source: project modules load by the hash of their source
            module = importlib.import_module(path)
        except SchemaError as exc:  # a mistake the language caught while the module ran
            raise located(exc) from None
        except Exception as exc:  # the user's module failed: one line naming its file and line
            raise SchemaImportError.from_exception(path, exc) from None
        objects.extend(v for v in vars(module).values() if isinstance(v, COLLECTED))
    return objects


def load_modules(paths: str | Iterable[str], external: External | None = None) -> model.Database:
    """Import schema module(s) by dotted path and compile what they bind at module level."""
    return compile_objects(module_objects(paths), external)


def compile_objects(objects: Iterable[Any], external: External | None = None) -> model.Database:
    """Compile DSL objects (tables, enums, views, sequences, schemas, extensions) into a Database.

    One object reached twice (a module importing a table from another) is one object; two different
    objects with one name are an error. `external` resolves references to tables schemakit does not
    own (Django's models, ignored tables).
    """
    objects = list({id(o): o for o in objects}.values())
    tables = [o for o in objects if isinstance(o, dsl.Table)]
    enums = {id(o): o for o in objects if isinstance(o, dsl.Enum)}
    for t in tables:  # enums used by columns count even when not bound at module level
        for c in t.columns:
            if c.enum is not None:
                enums.setdefault(id(c.enum), c.enum)
    _no_duplicates("table", [(t.schema, t.name) for t in tables])
    _no_duplicates("enum", [(e.schema, e.name) for e in enums.values()])
    by_key = {(t.schema, t.name): t for t in tables}
    shared: dict[tuple[model.Column, str | None], model.Column] = {}
    schemas = {o.name for o in objects if isinstance(o, dsl.Schema)}
    for s in schemas:
        _check_ident(s, f"schema {s}")
    extensions = [o for o in objects if isinstance(o, dsl.Extension)]
    if len({e.name for e in extensions}) != len(extensions):
        raise SchemaError(f"duplicate extension in {sorted(e.name for e in extensions)}")
    for e in extensions:
        _check_ident(e.name, f"extension {e.name}")
        _check_ident(e.schema, f"extension {e.name}")
    db = model.build_database(
        schemas=schemas,
        enums=[_enum(e) for e in enums.values()],
        sequences=[_sequence(s) for s in objects if isinstance(s, dsl.Sequence)],
        tables=[_table(t, by_key, external, shared) for t in tables],
        views=[_view(v) for v in objects if isinstance(v, dsl.View)],
        extensions=[model.Extension(e.name, e.schema) for e in extensions],
    )
    validate.database(db)  # the rules snapshots are held to: numbers, names, types, SQL fragments
    return db


def _no_duplicates(kind: str, keys: list[tuple[str, str]]) -> None:
    seen: set[tuple[str, str]] = set()
    for k in keys:
        if k in seen:
            raise SchemaError(f"duplicate {kind} {k[0]}.{k[1]}")
        seen.add(k)


def _check_ident(name: str, where: str) -> None:
    validate.name(name, where)


def _enum(e: dsl.Enum) -> model.Enum:
    where = f"enum {e.schema}.{e.name}"
    _check_ident(e.schema, where)
    _check_ident(e.name, where)
    enum = model.Enum(e.schema, e.name, e.values, renamed_from=e.renamed_from)
    validate.enum(enum)
    return enum


def _table(t: dsl.Table, tables: dict[tuple[str, str], dsl.Table], external: External | None,
           shared: dict[tuple[model.Column, str | None], model.Column]) -> model.Table:
    """`t` compiled; a column equal to one already compiled (id, created_at...) is that instance, so the
    snapshot's encoder and the validator do it once."""
    where = f"table {t.qualified}"
    _check_ident(t.schema, where)
    _check_ident(t.name, where)
    seen: set[str] = set()
    for n in (c.name for c in t.columns):
        _check_ident(n, f"{where}, column {n}")
        if n in seen:
            raise SchemaError(f"{where}: duplicate column {n}")
        seen.add(n)
    columns = tuple(_column(t, c) for c in t.columns)
    pk, uniques, checks, fks = column_constraints(t, tables, external)
    indexes: list[model.Index] = []
    for item in t.items:
        if isinstance(item, dsl.PrimaryKey):
            if pk is not None:
                raise SchemaError(f"{where}: more than one primary key")
            known_columns(t, item.columns, "primary key")
            pk = model.PrimaryKey(item.name or pkey_name(t.name), item.columns)
        elif isinstance(item, dsl.Unique):
            known_columns(t, item.columns, "unique constraint")
            uniques.append(model.Unique(item.name or unique_name(t.name, item.columns), item.columns, item.nulls_distinct))
        elif isinstance(item, dsl.Check):
            checks.append(model.Check(item.name, _expr(item.expr, f"{where}, check {item.name}")))
        elif isinstance(item, dsl.ForeignKey):
            fks.append(table_fk(t, item, tables, external))
        elif isinstance(item, dsl.Index):
            indexes.append(compile_index(item, t.schema, t.name, t.column_names))
    if pk is not None:  # primary key columns are NOT NULL, as PostgreSQL makes them
        columns = tuple(model.Column(**{**_fields(c), "not_null": True}) if c.name in pk.columns else c for c in columns)
    columns = tuple(shared.setdefault((c, c.renamed_from), c) for c in columns)  # == ignores renamed_from
    for c in (*uniques, *checks, *fks, *indexes):
        _check_ident(c.name, f"{where}, constraint or index {c.name}")
    _no_duplicates("constraint", [(t.name, c.name) for c in (*([pk] if pk else []), *uniques, *checks, *fks)])
    return model.Table(
        t.schema, t.name, columns, pk, tuple(uniques), tuple(checks), tuple(fks), tuple(indexes),
        None if t.comment == "" else t.comment, t.renamed_from,
    )


def _fields(c: model.Column) -> dict[str, Any]:
    return {f: getattr(c, f) for f in c.__slots__}


def _expr(value: Any, where: str) -> str:
    if not isinstance(value, dsl.sql):
        raise SchemaError(f"{where}: expected sql(...), got {value!r}")
    return value.text.strip()


def _column(t: dsl.Table, c: dsl.Col) -> model.Column:
    where = f"table {t.qualified}, column {c.name}"
    typ = validate.type_name(c.type, where)  # canonical before it reaches a default's cast
    default = None
    if c.default_value is not dsl._UNSET:
        default = _default(c, typ, where)
    if c.identity_spec and (default is not None or typ in model.SERIAL_TYPES):
        raise SchemaError(f"{where}: an identity column cannot have a default or be serial")
    if c.generated_expr is not None and default is not None:
        raise SchemaError(f"{where}: a generated column cannot have a default")
    not_null = c.is_not_null or typ in model.SERIAL_TYPES
    return model.Column(
        name=c.name,
        type=typ,
        not_null=not_null,
        default=default,
        identity=c.identity_spec,
        generated=c.generated_expr.text.strip() if c.generated_expr else None,
        comment=None if c.comment_text == "" else c.comment_text,  # PostgreSQL: an empty comment is none
        renamed_from=c.old_name,
    )


_KINDS = {
    "bool": (bool,),
    "int": (int,),
    "num": (int, float),
    "str": (str,),
    "enum": (str,),
    "json": (dict, list, str, int, float, bool),
}


def _default(c: dsl.Col, typ: str, where: str) -> str:
    """The SQL text of a column's default; `typ` is the column's canonical type."""
    value = c.default_value
    if isinstance(value, str) and "\x00" in value:
        raise SchemaError(f"{where}: default {value!r} holds a NUL byte, which PostgreSQL text cannot")
    if isinstance(value, dsl.sql):
        return value.text.strip()
    if value is None:
        return "NULL"
    if c.is_array:
        if not isinstance(value, (list, tuple)):
            raise SchemaError(f"{where}: default of an array column must be a list or sql(...), got {value!r}")
        return python_default_literal(list(value), typ)
    allowed = _KINDS.get(c.kind)
    ok = allowed is None or (isinstance(value, allowed) and not (isinstance(value, bool) and bool not in allowed))
    if c.kind == "num" and isinstance(value, decimal.Decimal):
        ok = True
    if not ok or typ in model.SERIAL_TYPES:
        raise SchemaError(f"{where}: default {value!r} does not fit type {typ}")
    if c.kind == "enum" and value not in c.enum.values:  # type: ignore[union-attr]
        raise SchemaError(f"{where}: default {value!r} is not a value of enum {c.enum.name}")  # type: ignore[union-attr]
    return python_default_literal(value, typ)


def index_element(element: Any, columns: set[str], where: str) -> str:
    """Return the canonical SQL text of one index element."""
    if isinstance(element, dsl.sql):
        return element.text.strip()
    if not isinstance(element, str):
        raise SchemaError(f"{where}: index elements are column names or sql(...), got {element!r}")
    if element in columns:
        return ident(element)
    m = _SORT_RE.match(element)
    if m and m.group(1) in columns:
        desc = (m.group(2) or "").lower() == "desc"
        nulls = (m.group(3) or "").lower().split()
        text = ident(m.group(1)) + (" DESC" if desc else "")
        if nulls and (nulls[1] == "first") != desc:
            text += " NULLS " + nulls[1].upper()
        return text
    raise SchemaError(f"{where}: index names unknown column {element!r}")


def compile_index(i: dsl.Index, schema: str, table: str, columns: set[str]) -> model.Index:
    where = f"table {schema}.{table}, index {i.name}"
    if not i.elements:
        raise SchemaError(f"{where}: an index needs at least one column or expression")
    for inc in i.include:
        if inc not in columns:
            raise SchemaError(f"{where}: INCLUDE names unknown column {inc!r}")
    return model.Index(
        name=i.name,
        elements=tuple(index_element(e, columns, where) for e in i.elements),
        unique=i.unique,
        using=i.using,
        where=_expr(i.where, where) if i.where is not None else None,
        include=tuple(i.include),
        concurrently=i.concurrently,
        nulls_distinct=i.nulls_distinct,
        renamed_from=i.renamed_from,
    )


def _view(v: dsl.View) -> model.View:
    where = f"view {v.schema}.{v.name}"
    _check_ident(v.schema, where)
    _check_ident(v.name, where)
    if v.indexes and not v.materialized:
        raise SchemaError(f"{where}: only a materialized view can have indexes")
    # a view's columns are unknown offline: expressions are allowed, names are taken on trust
    indexes = tuple(
        model.Index(
            name=i.name,
            elements=tuple(ident(e) if isinstance(e, str) else e.text.strip() for e in i.elements),
            unique=i.unique,
            using=i.using,
            where=_expr(i.where, where) if i.where is not None else None,
            include=tuple(i.include),
            nulls_distinct=i.nulls_distinct,
        )
        for i in v.indexes
    )
    return model.View(v.schema, v.name, v.query.text.strip().rstrip(";").rstrip(), v.materialized, indexes, **_view_options(v, where))


def _view_options(v: dsl.View, where: str) -> dict[str, Any]:
    check = v.check_option.lower() if isinstance(v.check_option, str) else v.check_option
    if check not in (None, "local", "cascaded"):
        raise SchemaError(f"{where}: check_option is \"local\" or \"cascaded\", got {v.check_option!r}")
    if v.materialized and (v.security_barrier or v.security_invoker or check):
        raise SchemaError(f"{where}: security_barrier, security_invoker and check_option are for plain views only")
    return {"security_barrier": bool(v.security_barrier), "security_invoker": bool(v.security_invoker), "check_option": check}


def _sequence(s: dsl.Sequence) -> model.Sequence:
    where = f"sequence {s.schema}.{s.name}"
    _check_ident(s.name, where)
    owned = None
    if s.owned_by is not None:
        if isinstance(s.owned_by, dsl.ColumnRef):
            owned = (s.owned_by.schema, s.owned_by.table, s.owned_by.column)
        elif isinstance(s.owned_by, tuple):
            owned = s.owned_by if len(s.owned_by) == 3 else ("public", *s.owned_by)
        else:
            parts = str(s.owned_by).split(".")
            owned = tuple((["public"] + parts) if len(parts) == 2 else parts)
        if len(owned) != 3:
            raise SchemaError(f"{where}: owned_by must be table.c.column, 'table.column' or 'schema.table.column'")
    seq = model.Sequence(s.schema, s.name, s.type, s.start, s.increment, s.min_value, s.max_value, s.cache, s.cycle, owned)
    _check_sequence(seq, where)
    return model.canonical_sequence(seq)


def _check_sequence(s: model.Sequence, where: str) -> None:
    """The rules PostgreSQL's CREATE SEQUENCE enforces, caught before any SQL is written."""
    if s.type not in model.INT_MAX:
        raise SchemaError(f"{where}: type is smallint, integer or bigint, got {s.type!r}")
    for name in ("start", "increment", "min_value", "max_value", "cache"):
        value = getattr(s, name)
        if value is not None and (not isinstance(value, int) or isinstance(value, bool)):
            raise SchemaError(f"{where}: {name} must be an integer, got {value!r}")
    top = model.INT_MAX[s.type]
    lo, hi = model.sequence_bounds(s)
    start = model.sequence_start(s)
    if s.increment == 0:
        raise SchemaError(f"{where}: increment must not be zero")
    if not -top - 1 <= lo < hi <= top:
        raise SchemaError(f"{where}: min_value ({lo}) must be less than max_value ({hi}), both within {s.type}")
    if not lo <= start <= hi:
        raise SchemaError(f"{where}: start ({start}) must be between min_value ({lo}) and max_value ({hi})")
    if s.cache is not None and s.cache < 1:
        raise SchemaError(f"{where}: cache must be 1 or more")
