"""The canonical schema model: frozen dataclasses, so `==` means "same schema"."""

from __future__ import annotations

from dataclasses import field, replace

from .frozen import frozen

DEFAULT_SCHEMA = "public"  # exists in every database: never created or dropped
SERIAL_TYPES = {"smallserial": "smallint", "serial": "integer", "bigserial": "bigint"}
OMIT_DEFAULT = {"snapshot": "omit-default"}  # a state of the live database: snapshots leave out the usual value


@frozen
class Identity:
    always: bool = True
    start: int | None = None
    increment: int | None = None


@frozen
class Column:
    name: str
    type: str  # canonical spelling (format_type), user types as "schema"."name"
    not_null: bool = False
    default: str | None = None  # SQL text
    identity: Identity | None = None
    generated: str | None = None  # SQL text of a STORED generated column
    comment: str | None = None
    renamed_from: str | None = field(default=None, compare=False)


@frozen
class PrimaryKey:
    name: str
    columns: tuple[str, ...]


@frozen
class Unique:
    name: str
    columns: tuple[str, ...]
    nulls_distinct: bool = True


@frozen
class Check:
    name: str
    expr: str
    validated: bool = field(default=True, metadata=OMIT_DEFAULT)  # False: NOT VALID (existing rows unchecked)


@frozen
class ForeignKey:
    name: str
    columns: tuple[str, ...]
    ref_schema: str
    ref_table: str
    ref_columns: tuple[str, ...]
    on_delete: str = "no action"
    on_update: str = "no action"
    deferrable: bool = False
    initially_deferred: bool = False
    validated: bool = field(default=True, metadata=OMIT_DEFAULT)  # False: NOT VALID (existing rows unchecked)


@frozen
class Index:
    name: str
    elements: tuple[str, ...]  # SQL text per element: '"col"', '"col" DESC', 'lower(email)'
    unique: bool = False
    using: str = "btree"
    where: str | None = None
    include: tuple[str, ...] = ()
    concurrently: bool = field(default=False, compare=False)
    nulls_distinct: bool = True
    renamed_from: str | None = field(default=None, compare=False)
    valid: bool = field(default=True, metadata=OMIT_DEFAULT)  # False: INVALID (a CONCURRENTLY build that failed)


@frozen
class Table:
    schema: str
    name: str
    columns: tuple[Column, ...] = ()
    primary_key: PrimaryKey | None = None
    uniques: tuple[Unique, ...] = ()
    checks: tuple[Check, ...] = ()
    foreign_keys: tuple[ForeignKey, ...] = ()
    indexes: tuple[Index, ...] = ()
    comment: str | None = None
    renamed_from: str | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.schema, self.name)

    def column(self, name: str) -> Column | None:
        return next((c for c in self.columns if c.name == name), None)

    def constraints(self) -> tuple[PrimaryKey | Unique | Check | ForeignKey, ...]:
        pk = (self.primary_key,) if self.primary_key else ()
        return pk + self.uniques + self.checks + self.foreign_keys


@frozen
class Enum:
    schema: str
    name: str
    values: tuple[str, ...]
    renamed_from: str | None = field(default=None, compare=False)

    @property
    def key(self) -> tuple[str, str]:
        return (self.schema, self.name)


@frozen
class View:
    schema: str
    name: str
    query: str
    materialized: bool = False
    indexes: tuple[Index, ...] = ()
    security_barrier: bool = False
    security_invoker: bool = False
    check_option: str | None = None  # "local" or "cascaded": WITH [LOCAL|CASCADED] CHECK OPTION

    @property
    def key(self) -> tuple[str, str]:
        return (self.schema, self.name)


@frozen
class Sequence:
    schema: str
    name: str
    type: str = "bigint"
    start: int | None = None
    increment: int | None = None
    min_value: int | None = None
    max_value: int | None = None
    cache: int | None = None
    cycle: bool = False
    owned_by: tuple[str, str, str] | None = None  # (schema, table, column)

    @property
    def key(self) -> tuple[str, str]:
        return (self.schema, self.name)


INT_MAX = {"smallint": 32767, "integer": 2147483647, "bigint": 9223372036854775807}


def sequence_bounds(s: Sequence) -> tuple[int, int]:
    """The (min, max) a sequence really has, PostgreSQL's defaults filled in."""
    top = INT_MAX.get(s.type, INT_MAX["bigint"])
    ascending = (s.increment or 1) > 0
    lo = s.min_value if s.min_value is not None else (1 if ascending else -top - 1)
    hi = s.max_value if s.max_value is not None else (top if ascending else -1)
    return lo, hi


def sequence_start(s: Sequence) -> int:
    """The recorded start value: min for an ascending sequence, max for a descending one, unless given."""
    if s.start is not None:
        return s.start
    lo, hi = sequence_bounds(s)
    return lo if (s.increment or 1) > 0 else hi


def canonical_sequence(s: Sequence) -> Sequence:
    """`s` with every option equal to PostgreSQL's default as None, so `==` means the same sequence."""
    plain = replace(s, start=None, increment=None if s.increment == 1 else s.increment, min_value=None,
                    max_value=None, cache=None if s.cache == 1 else s.cache)
    lo, hi = sequence_bounds(s)
    d_lo, d_hi = sequence_bounds(plain)
    plain = replace(plain, min_value=None if lo == d_lo else lo, max_value=None if hi == d_hi else hi)
    return replace(plain, start=None if sequence_start(s) == sequence_start(plain) else s.start)


@frozen
class Extension:
    """A PostgreSQL extension: database-wide, so its name alone is its key."""

    name: str
    schema: str = DEFAULT_SCHEMA  # where its types, functions and operators go

    @property
    def key(self) -> str:
        return self.name


@frozen
class Database:
    """A whole schema: every object schemakit manages, each tuple sorted by key."""

    schemas: tuple[str, ...] = ()
    enums: tuple[Enum, ...] = ()
    sequences: tuple[Sequence, ...] = ()
    tables: tuple[Table, ...] = ()
    views: tuple[View, ...] = ()
    extensions: tuple[Extension, ...] = ()

    def table(self, schema: str, name: str) -> Table | None:
        return next((t for t in self.tables if t.key == (schema, name)), None)


def build_database(
    schemas: set[str] | tuple[str, ...],
    enums: list[Enum] | tuple[Enum, ...] = (),
    sequences: list[Sequence] | tuple[Sequence, ...] = (),
    tables: list[Table] | tuple[Table, ...] = (),
    views: list[View] | tuple[View, ...] = (),
    extensions: list[Extension] | tuple[Extension, ...] = (),
) -> Database:
    """Return a Database with every collection in canonical (sorted) order."""
    used = {o.schema for o in (*enums, *sequences, *tables, *views, *extensions)}
    return Database(
        schemas=tuple(sorted((set(schemas) | used) - {DEFAULT_SCHEMA})),
        enums=tuple(sorted(enums, key=lambda o: o.key)),
        sequences=tuple(sorted(sequences, key=lambda o: o.key)),
        tables=tuple(sorted((canonical_table(t) for t in tables), key=lambda o: o.key)),
        views=tuple(
            sorted(
                (
                    replace(v, indexes=tuple(sorted(v.indexes, key=_by_name)))
                    for v in views
                ),
                key=lambda o: o.key,
            )
        ),
        extensions=tuple(sorted(extensions, key=lambda e: e.name)),
    )


def _by_name(o: object) -> str:
    return o.name  # type: ignore[attr-defined]


def canonical_table(t: Table) -> Table:
    """Sort a table's constraints and indexes by name (columns keep their order)."""
    if all(_in_order(p) for p in (t.uniques, t.checks, t.foreign_keys, t.indexes)):
        return t  # the usual case (catalog queries and compile both sort): no new object
    return Table(
        schema=t.schema,
        name=t.name,
        columns=t.columns,
        primary_key=t.primary_key,
        uniques=tuple(sorted(t.uniques, key=_by_name)),
        checks=tuple(sorted(t.checks, key=_by_name)),
        foreign_keys=tuple(sorted(t.foreign_keys, key=_by_name)),
        indexes=tuple(sorted(t.indexes, key=_by_name)),
        comment=t.comment,
        renamed_from=t.renamed_from,
    )


def _in_order(items: tuple) -> bool:
    return all(a.name < b.name for a, b in zip(items, items[1:], strict=False))
