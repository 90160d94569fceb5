"""References between tables in the schema language: keys declared on columns, foreign keys and their targets."""

from __future__ import annotations

from collections.abc import Callable, Iterable
from typing import Any

from ..errors import SchemaError
from . import dsl, model
from .names import check_name, fkey_name, pkey_name, unique_name

# a reference to a table schemakit does not own (Django's, or an ignored one) -> (schema, table, column), or None
External = Callable[[Any], "tuple[str, str, str] | None"]


def known_columns(t: dsl.Table, cols: Iterable[str], what: str) -> None:
    for c in cols:
        if c not in t.column_names:
            raise SchemaError(f"table {t.qualified}: {what} names unknown column {c!r}")


def check_action(action: str | None, where: str) -> str:
    a = (action or "no action").lower().replace("_", " ")
    if a not in dsl.FK_ACTIONS:
        raise SchemaError(f"{where}: unknown action {action!r}, expected one of {', '.join(dsl.FK_ACTIONS)}")
    return a


def resolve_ref(target: Any, where: str, tables: dict[tuple[str, str], dsl.Table],
                 external: External | None = None) -> tuple[str, str, str]:
    if external is not None and not isinstance(target, (dsl.ColumnRef, tuple, str)):
        hit = external(target)  # a Django model class
        if hit is not None:
            return hit
    if isinstance(target, dsl.ColumnRef):
        schema, table, col = target.schema, target.table, target.column
    elif isinstance(target, tuple) and len(target) in (2, 3) and all(isinstance(p, str) for p in target):
        schema, table, col = (("public",) + target) if len(target) == 2 else target
    elif isinstance(target, str):
        parts = target.split(".")
        if len(parts) not in (2, 3):
            raise SchemaError(f"{where}: reference {target!r} must be 'table.column' or 'schema.table.column'")
        schema, table, col = (["public"] + parts) if len(parts) == 2 else parts
    else:
        raise SchemaError(f"{where}: references() takes table.c.column, 'schema.table.column' or a tuple, got {target!r}")
    ref = tables.get((schema, table))
    if ref is None:
        hit = external(target) if external is not None else None
        if hit is None:
            raise SchemaError(f"{where}: references unknown table {schema}.{table}"
                              " (not in the schema module, not a Django model's, not in IGNORE_TABLES)")
        return hit
    if col not in ref.column_names:
        raise SchemaError(f"{where}: references unknown column {schema}.{table}.{col}")
    return schema, table, col


def column_constraints(t: dsl.Table, tables: dict[tuple[str, str], dsl.Table], external: External | None):
    pk = None
    uniques: list[model.Unique] = []
    checks: list[model.Check] = []
    fks: list[model.ForeignKey] = []
    primaries = [c.name for c in t.columns if c.is_primary]
    if len(primaries) > 1:
        raise SchemaError(f"table {t.qualified}: several columns say .primary_key(); use PrimaryKey(...)")
    if primaries:
        pk = model.PrimaryKey(pkey_name(t.name), tuple(primaries))
    for c in t.columns:
        where = f"table {t.qualified}, column {c.name}"
        if c.is_unique:
            uniques.append(model.Unique(unique_name(t.name, (c.name,)), (c.name,)))
        for i, expr in enumerate(c.checks):
            name = check_name(t.name, c.name) + (str(i) if i else "")
            checks.append(model.Check(name, expr.text.strip()))
        if c.reference:
            schema, table, col = resolve_ref(c.reference.target, where, tables, external)
            fks.append(
                model.ForeignKey(
                    fkey_name(t.name, (c.name,)),
                    (c.name,),
                    schema,
                    table,
                    (col,),
                    check_action(c.reference.on_delete, where),
                    check_action(c.reference.on_update, where),
                )
            )
    return pk, uniques, checks, fks


def table_fk(t: dsl.Table, fk: dsl.ForeignKey, tables: dict[tuple[str, str], dsl.Table],
              external: External | None) -> model.ForeignKey:
    where = f"table {t.qualified}, foreign key"
    cols = (fk.columns,) if isinstance(fk.columns, str) else tuple(fk.columns)
    ref_cols = (fk.ref_columns,) if isinstance(fk.ref_columns, str) else tuple(fk.ref_columns)
    known_columns(t, cols, "foreign key")
    if len(cols) != len(ref_cols):
        raise SchemaError(f"{where} {cols}: {len(cols)} columns reference {len(ref_cols)}")
    ref = fk.ref_table
    if isinstance(ref, dsl.Table):
        schema, table = ref.schema, ref.name
    elif isinstance(ref, tuple) and len(ref) == 2:
        schema, table = ref
    elif isinstance(ref, str):
        schema, _, table = ref.rpartition(".")
        schema = schema or "public"
    else:
        raise SchemaError(f"{where}: ref_table must be a Table or 'schema.table', got {ref!r}")
    for rc in ref_cols:
        resolve_ref((schema, table, rc), where, tables, external)
    return model.ForeignKey(
        fk.name or fkey_name(t.name, cols),
        cols,
        schema,
        table,
        ref_cols,
        check_action(fk.on_delete, where),
        check_action(fk.on_update, where),
        fk.deferrable,
        fk.initially_deferred,
    )
