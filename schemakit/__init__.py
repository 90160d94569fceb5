"""schemakit: Drizzle Kit's workflow for Django on PostgreSQL. This module is the schema language."""

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .errors import SchemaError
    from .schema.dsl import (
        Check,
        Enum,
        Extension,
        ForeignKey,
        Index,
        PrimaryKey,
        Schema,
        Sequence,
        Table,
        Unique,
        View,
        bigint,
        bigserial,
        boolean,
        bytea,
        char,
        column,
        date,
        double,
        inet,
        integer,
        interval,
        json,
        jsonb,
        numeric,
        real,
        serial,
        smallint,
        sql,
        text,
        time,
        timestamp,
        uuid,
        varchar,
    )

__all__ = [
    "Check", "Enum", "Extension", "ForeignKey", "Index", "PrimaryKey", "Schema", "SchemaError", "Sequence", "Table",
    "Unique", "View", "bigint", "bigserial", "boolean", "bytea", "char", "column", "date", "double",
    "inet", "integer", "interval", "json", "jsonb", "numeric", "real", "serial", "smallint", "sql",
    "text", "time", "timestamp", "uuid", "varchar",
]


_DSL = frozenset(__all__) - {"SchemaError"}


def __getattr__(name: str) -> object:
    """The language loads on first use, not with the Django app (every manage.py command imports the app)."""
    if name in _DSL:
        from .schema import dsl

        value = getattr(dsl, name)
    elif name == "SchemaError":
        from .errors import SchemaError as value
    else:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    globals()[name] = value
    return value
