"""The schema language: immutable builders that compile to the canonical model."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from ..errors import SchemaError
from . import model
from .frozen import frozen
from .names import canonical_type


@frozen
class sql:  # noqa: N801 - the SPEC names it in lower case
    """Raw SQL: the only way in for expressions."""

    text: str

    def __post_init__(self) -> None:
        if not isinstance(self.text, str) or not self.text.strip():
            raise SchemaError(f"sql() takes a non-empty string, got {self.text!r}")


FK_ACTIONS = ("no action", "restrict", "cascade", "set null", "set default")
_UNSET = object()


@frozen
class ColumnRef:
    """`table.c.column`: a column of a declared table."""

    schema: str
    table: str
    column: str


@frozen
class Reference:
    target: ColumnRef | str
    on_delete: str | None
    on_update: str | None


@dataclass(frozen=True)
class Col:
    """A column declaration; every modifier returns a new column."""

    name: str
    type: str
    kind: str = "other"  # bool, int, num, str, json, enum, other: what a Python default may be
    enum: Enum | None = None
    is_array: bool = False
    is_not_null: bool = False
    is_primary: bool = False
    is_unique: bool = False
    default_value: Any = _UNSET
    checks: tuple[sql, ...] = ()
    reference: Reference | None = None
    identity_spec: model.Identity | None = None
    generated_expr: sql | None = None
    comment_text: str | None = None
    old_name: str | None = None

    def _with(self, **kw: Any) -> Col:
        # a copy with some fields changed; Col has no __post_init__, and dataclasses.replace is slow
        new = object.__new__(Col)
        new.__dict__.update(self.__dict__, **kw)
        return new

    def primary_key(self) -> Col:
        return self._with(is_primary=True, is_not_null=True)

    def not_null(self) -> Col:
        return self._with(is_not_null=True)

    def unique(self) -> Col:
        return self._with(is_unique=True)

    def default(self, value: Any) -> Col:
        return self._with(default_value=value)

    def check(self, expr: sql) -> Col:
        if not isinstance(expr, sql):
            raise SchemaError(f"column {self.name}: .check() takes sql(...), got {expr!r}")
        return self._with(checks=self.checks + (expr,))

    def references(self, target: ColumnRef | str, on_delete: str | None = None, on_update: str | None = None) -> Col:
        return self._with(reference=Reference(target, on_delete, on_update))

    def array(self) -> Col:
        return self._with(type=self.type + "[]", is_array=True)

    def identity(self, always: bool = True, start: int | None = None, increment: int | None = None) -> Col:
        return self._with(identity_spec=model.Identity(always, start, increment), is_not_null=True)

    def generated(self, expr: sql) -> Col:
        if not isinstance(expr, sql):
            raise SchemaError(f"column {self.name}: .generated() takes sql(...), got {expr!r}")
        return self._with(generated_expr=expr)

    def comment(self, text: str) -> Col:
        return self._with(comment_text=text)

    def renamed_from(self, old_name: str) -> Col:
        return self._with(old_name=old_name)


def _builder(type_name: str, kind: str):
    def build(name: str) -> Col:
        return Col(name, type_name, kind)

    build.__name__ = type_name
    return build


serial = _builder("serial", "int")
bigserial = _builder("bigserial", "int")
smallint = _builder("smallint", "int")
integer = _builder("integer", "int")
bigint = _builder("bigint", "int")
real = _builder("real", "num")
double = _builder("double precision", "num")
text = _builder("text", "str")
boolean = _builder("boolean", "bool")
date = _builder("date", "str")
interval = _builder("interval", "str")
uuid = _builder("uuid", "str")
json = _builder("json", "json")
jsonb = _builder("jsonb", "json")
bytea = _builder("bytea", "str")
inet = _builder("inet", "str")


def numeric(name: str, precision: int | None = None, scale: int | None = None) -> Col:
    if precision is None and scale is not None:
        raise SchemaError(f"column {name}: numeric(scale=...) needs a precision")
    mod = "" if precision is None else f"({precision},{scale or 0})"
    return Col(name, f"numeric{mod}", "num")


def varchar(name: str, length: int | None = None) -> Col:
    return Col(name, "character varying" + ("" if length is None else f"({length})"), "str")


def char(name: str, length: int = 1) -> Col:
    return Col(name, f"character({length})", "str")


def _temporal(head: str, name: str, tz: bool, precision: int | None) -> Col:
    mod = "" if precision is None else f"({precision})"
    zone = "with time zone" if tz else "without time zone"
    return Col(name, f"{head}{mod} {zone}", "str")


def time(name: str, tz: bool = False, precision: int | None = None) -> Col:
    return _temporal("time", name, tz, precision)


def timestamp(name: str, tz: bool = False, precision: int | None = None) -> Col:
    return _temporal("timestamp", name, tz, precision)


def column(name: str, type_sql: str) -> Col:
    """Any type without a builder, written as SQL: `column("search", "tsvector")`."""
    # the type is parsed and checked by PostgreSQL's parser when the schema compiles
    return Col(name, canonical_type(type_sql) if isinstance(type_sql, str) else type_sql, "other")


class _Columns:
    """`table.c`: attribute access to a table's columns."""

    def __init__(self, table: Table) -> None:
        self._table = table

    def __getattr__(self, name: str) -> ColumnRef:
        if name.startswith("_"):
            raise AttributeError(name)
        if name not in self._table.column_names:
            raise SchemaError(f"table {self._table.qualified}: no column {name!r}")
        return ColumnRef(self._table.schema, self._table.name, name)

    def __getitem__(self, name: str) -> ColumnRef:
        return self.__getattr__(name)


@frozen
class PrimaryKey:
    columns: tuple[str, ...]
    name: str | None = None

    def __init__(self, *columns: str, name: str | None = None) -> None:
        object.__setattr__(self, "columns", tuple(columns))
        object.__setattr__(self, "name", name)


@frozen
class Unique:
    columns: tuple[str, ...]
    name: str | None = None
    nulls_distinct: bool = True

    def __init__(self, *columns: str, name: str | None = None, nulls_distinct: bool = True) -> None:
        object.__setattr__(self, "columns", tuple(columns))
        object.__setattr__(self, "name", name)
        object.__setattr__(self, "nulls_distinct", nulls_distinct)


@frozen
class Check:
    name: str
    expr: sql


@frozen
class ForeignKey:
    columns: tuple[str, ...] | str
    ref_table: Any
    ref_columns: tuple[str, ...] | str
    on_delete: str | None = None
    on_update: str | None = None
    deferrable: bool = False
    initially_deferred: bool = False
    name: str | None = None


class Index:
    """`Index(name, *columns_or_sql, unique=, where=, using=, include=, concurrently=)`."""

    def __init__(
        self,
        name: str,
        *elements: str | sql,
        unique: bool = False,
        where: sql | None = None,
        using: str = "btree",
        include: tuple[str, ...] | list[str] = (),
        concurrently: bool = False,
        nulls_distinct: bool = True,
        renamed_from: str | None = None,
    ) -> None:
        self.name, self.elements, self.unique, self.where = name, elements, unique, where
        self.using = using.lower() if isinstance(using, str) else using  # validated when compiled
        self.include, self.concurrently = tuple(include), concurrently
        self.nulls_distinct, self.renamed_from = nulls_distinct, renamed_from


class Table:
    """`Table(name, *columns_and_constraints, schema="public", comment=None, renamed_from=None)`."""

    def __init__(
        self, name: str, *items: Any, schema: str = "public", comment: str | None = None, renamed_from: str | None = None
    ) -> None:
        self.name, self.schema, self.comment, self.renamed_from = name, schema, comment, renamed_from
        self.columns = [i for i in items if isinstance(i, Col)]
        self.items = [i for i in items if not isinstance(i, Col)]
        for i in self.items:
            if not isinstance(i, (PrimaryKey, Unique, Check, ForeignKey, Index)):
                raise SchemaError(f"table {self.qualified}: unexpected item {i!r}")
        self.column_names = {c.name for c in self.columns}
        self.c = _Columns(self)

    @property
    def qualified(self) -> str:
        return f"{self.schema}.{self.name}"

    def __repr__(self) -> str:
        return f"Table({self.qualified!r})"


class Enum:
    """`Enum(name, values, schema="public")`; calling it makes a column of that type."""

    def __init__(self, name: str, values: list[str] | tuple[str, ...], schema: str = "public", renamed_from: str | None = None) -> None:
        if not isinstance(values, (list, tuple)):  # a string would silently be one value per character
            raise SchemaError(f"enum {schema}.{name}: values must be a list of strings, got {values!r}")
        self.name, self.values, self.schema, self.renamed_from = name, tuple(values), schema, renamed_from

    @property
    def type_sql(self) -> str:
        from ..pg.quote import qualified_name

        return qualified_name(self.schema, self.name)

    def __call__(self, name: str) -> Col:
        return Col(name, self.type_sql, "enum", enum=self)

    def __repr__(self) -> str:
        return f"Enum({self.schema}.{self.name!r})"


class View:
    """`View(name, sql(...), *indexes, schema="public", materialized=False, security_barrier=False,
    security_invoker=False, check_option=None)`; check_option is "local" or "cascaded"."""

    def __init__(self, name: str, query: sql, *indexes: Index, schema: str = "public", materialized: bool = False,
                 security_barrier: bool = False, security_invoker: bool = False, check_option: str | None = None) -> None:
        if not isinstance(query, sql):
            raise SchemaError(f"view {schema}.{name}: the query must be sql(...)")
        self.name, self.query, self.indexes, self.schema, self.materialized = name, query, indexes, schema, materialized
        self.security_barrier, self.security_invoker, self.check_option = security_barrier, security_invoker, check_option


@dataclass(frozen=True)
class Sequence:
    name: str
    start: int | None = None
    increment: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    cache: int | None = None
    cycle: bool = False
    owned_by: Any = None
    schema: str = "public"
    type: str = "bigint"


@dataclass(frozen=True)
class Extension:
    """`Extension("citext")`, `Extension("pg_trgm", schema="extensions")`: created before the tables using it."""

    name: str
    schema: str = "public"


@dataclass(frozen=True)
class Schema:
    """Declare a PostgreSQL schema, even with nothing in it yet."""

    name: str
