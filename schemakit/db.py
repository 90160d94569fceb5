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
