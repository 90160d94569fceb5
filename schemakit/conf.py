"""Settings: one function per SCHEMAKIT key, read at call time so override_settings works."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from django.conf import settings

DEFAULTS: dict[str, Any] = {
    "SCHEMA": "project.schema",
    "MIGRATIONS_DIR": None,  # BASE_DIR / "migrations"
    "DATABASE": "default",
    "MIGRATIONS_TABLE": "schemakit_migrations",
    "IGNORE_TABLES": [],
    "LOCK_TIMEOUT": "5s",  # how long one statement may queue for a lock (None: the server's setting)
    "STATEMENT_TIMEOUT": None,  # how long one statement may run (None: the server's setting)
    "RETRIES": 5,  # retries of a statement (or a whole transactional file) after a lock timeout
    "SCHEMA_GUARD": False,  # db_migrate compares the live schema with the snapshots before and after (also --guard)
    "MODELS_FILE": None,  # where db_models writes the Django models (and db_generate checks they are current)
    "TEST_DATABASE": "migrate",  # what a test database Django creates gets: "migrate", "push" or None
    "STUDIO_WRITE": False,  # db_studio may edit rows (also --write); people still need the edit permission
    "STUDIO_DATABASE": None,  # alias the studio browses (default: DATABASE)
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
