"""Connections: a psycopg connection for a Django database alias."""

from __future__ import annotations

import fnmatch
from typing import Any

from django.db import connections

from . import conf
from .errors import ConfigError, DatabaseUnavailable


def is_postgresql(alias: str) -> bool:
    """Whether Django's backend for `alias` speaks PostgreSQL (its vendor, so PostGIS and wrappers count)."""
    return connections[alias].vendor == "postgresql"


def check_alias(alias: str) -> None:
    """Raise ConfigError unless `alias` is a configured PostgreSQL database."""
    if alias not in connections.settings:
        raise ConfigError(f"database alias {alias!r} is not in DATABASES (known: {', '.join(connections.settings)})")
    if not is_postgresql(alias):
        engine = connections.settings[alias].get("ENGINE")
        raise ConfigError(f"database alias {alias!r} uses {engine}; schemakit supports PostgreSQL only")


def connection_params(alias: str) -> dict[str, Any]:
    """Return psycopg.connect() keyword arguments for a Django alias (starting an embedded server if needed)."""
    check_alias(alias)
    try:
        params = dict(connections[alias].get_connection_params())
    except Exception as exc:  # the embedded server could not start, or the settings are wrong
        raise DatabaseUnavailable(f"database {alias!r}: {exc}") from None
    for key in ("cursor_factory", "context", "prepare_threshold", "server_side_binding"):
        params.pop(key, None)
    return params


def django_tables() -> set[tuple[str, str]]:
    """Tables owned by Django: every installed app's managed models, plus django_migrations."""
    from django.apps import apps

    out = {("public", "django_migrations")}
    for m in apps.get_models(include_auto_created=True):
        if m._meta.managed and not m._meta.proxy:
            schema, _, name = m._meta.db_table.rpartition(".")
            out.add((schema or "public", name))
    return out


def ignore_filter():
    """Return ignore(schema, name): Django's tables, the tracking table and IGNORE_TABLES."""
    owned_elsewhere = django_tables() | {conf.migrations_table()}
    patterns = conf.ignore_tables()

    def ignore(schema: str, name: str) -> bool:
        if (schema, name) in owned_elsewhere:
            return True
        qualified = f"{schema}.{name}"
        return any(fnmatch.fnmatchcase(qualified if "." in p else name, p) for p in patterns)

    return ignore


def django_model_target(schema: str, table: str) -> tuple[str, str, dict[str, str]] | None:
    """For a table of a managed Django model: (how generated code names the model, key column, {column: field})."""
    from django.apps import apps
    from django.conf import settings

    for m in apps.get_models():
        if not m._meta.managed or m._meta.proxy:
            continue
        s, _, name = m._meta.db_table.rpartition(".")
        if (s or "public", name) == (schema, table):
            label = m._meta.label  # app_label.ModelName: identifiers, safe in double quotes
            expr = "settings.AUTH_USER_MODEL" if label == settings.AUTH_USER_MODEL else f"\"{label}\""
            fields = {f.column: f.name for f in m._meta.concrete_fields}
            return expr, m._meta.pk.column, fields
    return None


def external_reference(target: Any) -> tuple[str, str, str] | None:
    """(schema, table, column) for a reference to a table schemakit does not own, else None.

    A Django model (class, "app_label.Model" label, settings.AUTH_USER_MODEL) means its primary key;
    "table.column", "schema.table.column" or a tuple may name a Django model's table or an ignored one.
    """
    from django.apps import apps
    from django.core.exceptions import AppRegistryNotReady

    try:
        m = target if hasattr(target, "_meta") else _model_by_label(apps, target)
        if m is not None:
            schema, _, table = m._meta.db_table.rpartition(".")
            return (schema or "public", table, m._meta.pk.column)
        parts = tuple(target) if isinstance(target, tuple) else tuple(target.split(".")) if isinstance(target, str) else ()
        if len(parts) not in (2, 3):
            return None
        schema, table, column = ("public", *parts) if len(parts) == 2 else parts
        return (schema, table, column) if ignore_filter()(schema, table) else None
    except AppRegistryNotReady:
        return None


def _model_by_label(apps, target: Any):
    if not isinstance(target, str) or target.count(".") != 1:
        return None
    try:
        return apps.get_model(target)
    except (LookupError, ValueError):
        return None
