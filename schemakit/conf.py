"""Settings: one function per SCHEMAKIT key, read at call time so override_settings works; connections
and the Django tables and models schemakit must know about."""

from __future__ import annotations

import fnmatch
from pathlib import Path
from typing import Any

from django.conf import settings
from django.db import connections

from .errors import ConfigError, DatabaseUnavailable

DEFAULTS: dict[str, Any] = {
    "SCHEMA": "project.schema",
    "MIGRATIONS_DIR": None,  # BASE_DIR / "migrations"
    "DATABASE": "default",
    "MIGRATIONS_TABLE": "schemakit_migrations",
    "IGNORE_TABLES": [],
    "LOCK_TIMEOUT": "5s",  # how long one statement may queue for a lock (None: the server's setting)
    "STATEMENT_TIMEOUT": None,  # how long one statement may run (None: the server's setting)
    "RETRIES": 5,  # retries of a statement (or a whole transactional file) after a lock timeout
    "SCHEMA_GUARD": True,  # db_migrate compares the live schema with the snapshots before and after (--allow-drift skips)
    "MODELS_FILE": None,  # where db_models writes the Django models (and db_generate checks they are current)
    "TEST_DATABASE": "migrate",  # what a test database Django creates gets: "migrate", "push" or None
    "STUDIO_WRITE": False,  # db_studio may edit rows (also --write); people still need the edit permission
    "STUDIO_DATABASE": None,  # alias the studio browses (default: DATABASE)
    "DATABASES": None,  # the aliases --all-databases migrates (default: DATABASE only)
    "TENANTS": None,  # tenant schema names per alias: a dotted path to a callable(alias) or an SQL query
    "CITUS": None,  # {"distributed": {"schema.table": "column"}, "reference": [...]}: db_check's Citus rules
}


def _get(key: str) -> Any:
    return getattr(settings, "SCHEMAKIT", {}).get(key, DEFAULTS[key])


def schema_modules() -> list[str]:
    value = _get("SCHEMA")
    return [value] if isinstance(value, str) else list(value)


def migrations_dir() -> Path:
    value = _get("MIGRATIONS_DIR")
    if value is None:
        value = Path(getattr(settings, "BASE_DIR", Path.cwd())) / "migrations"
    return Path(value)


def database() -> str:
    return _get("DATABASE")


def migrations_table() -> tuple[str, str]:
    """Return (schema, table) of the tracking table."""
    value = _get("MIGRATIONS_TABLE")
    schema, _, table = value.rpartition(".")
    return (schema or "public", table)


def ignore_tables() -> list[str]:
    return list(_get("IGNORE_TABLES"))


def lock_timeout() -> str | None:
    return _get("LOCK_TIMEOUT")


def statement_timeout() -> str | None:
    return _get("STATEMENT_TIMEOUT")


def retries() -> int:
    return int(_get("RETRIES"))


def schema_guard() -> bool:
    return bool(_get("SCHEMA_GUARD"))


def databases() -> list[str]:
    """The aliases --all-databases means."""
    value = _get("DATABASES")
    return [database()] if value is None else list(value)


def tenants() -> Any:
    """SCHEMAKIT['TENANTS']: None, a callable, a dotted path to one, or an SQL query."""
    return _get("TENANTS")


def citus() -> dict | None:
    return _get("CITUS")


def models_file() -> Path | None:
    value = _get("MODELS_FILE")
    return Path(value) if value else None


def test_database() -> str | None:
    value = _get("TEST_DATABASE")
    if value not in ("migrate", "push", None):
        from .errors import ConfigError

        raise ConfigError(f"SCHEMAKIT['TEST_DATABASE'] must be 'migrate', 'push' or None, got {value!r}")
    return value


# db_studio's command-line choices, for its own process only
STUDIO_OVERRIDES: dict[str, Any] = {}


def studio_write() -> bool:
    return bool(STUDIO_OVERRIDES.get("write") or _get("STUDIO_WRITE"))


def studio_database() -> str | None:
    return STUDIO_OVERRIDES.get("database") or _get("STUDIO_DATABASE")



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
    owned_elsewhere = django_tables() | {migrations_table()}
    patterns = ignore_tables()

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
