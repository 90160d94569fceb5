"""Django system checks for the SCHEMAKIT settings (ids schemakit.E001...)."""

from __future__ import annotations

from pathlib import Path

from django.conf import settings
from django.core import checks

from . import conf

KNOWN = set(conf.DEFAULTS)


@checks.register("schemakit")
def check_settings(app_configs=None, **kwargs) -> list[checks.CheckMessage]:
    errors: list[checks.CheckMessage] = []
    raw = getattr(settings, "SCHEMAKIT", {})
    if not isinstance(raw, dict):
        return [checks.Error("SCHEMAKIT must be a dict", hint="SCHEMAKIT = {\"SCHEMA\": \"project.schema\"}", id="schemakit.E001")]
    for key in sorted(set(raw) - KNOWN):
        errors.append(checks.Error(f"unknown SCHEMAKIT key {key!r}", hint=f"known keys: {', '.join(sorted(KNOWN))}", id="schemakit.E002"))
    schema = raw.get("SCHEMA", conf.DEFAULTS["SCHEMA"])
    if not (isinstance(schema, str) or (isinstance(schema, (list, tuple)) and schema and all(isinstance(s, str) for s in schema))):
        errors.append(checks.Error("SCHEMAKIT['SCHEMA'] must be a module path or a list of them",
                                   hint="e.g. \"project.schema\"", id="schemakit.E003"))
    else:
        errors += _check_schema_loads()
    alias = raw.get("DATABASE", "default")
    if alias not in settings.DATABASES:
        errors.append(checks.Error(f"SCHEMAKIT['DATABASE'] = {alias!r} is not in DATABASES",
                                   hint=f"use one of: {', '.join(settings.DATABASES)}", id="schemakit.E004"))
    elif not _is_postgresql(alias):
        errors.append(checks.Error(f"database {alias!r} is not PostgreSQL ({settings.DATABASES[alias].get('ENGINE')})",
                                   hint="schemakit supports PostgreSQL only", id="schemakit.E005"))
    table = raw.get("MIGRATIONS_TABLE", conf.DEFAULTS["MIGRATIONS_TABLE"])
    if not isinstance(table, str) or not table or table.count(".") > 1 or any(not p for p in table.split(".")):
        errors.append(checks.Error(f"SCHEMAKIT['MIGRATIONS_TABLE'] = {table!r} is not a table name",
                                   hint="\"schemakit_migrations\" or \"schema.table\"", id="schemakit.E006"))
    ignore = raw.get("IGNORE_TABLES", [])
    if not isinstance(ignore, (list, tuple)) or not all(isinstance(p, str) for p in ignore):
        errors.append(checks.Error("SCHEMAKIT['IGNORE_TABLES'] must be a list of glob patterns",
                                   hint="e.g. [\"legacy_*\", \"audit.*\"]", id="schemakit.E007"))
    mdir = raw.get("MIGRATIONS_DIR")
    if mdir is not None and not isinstance(mdir, (str, Path)):
        errors.append(checks.Error("SCHEMAKIT['MIGRATIONS_DIR'] must be a path", hint="BASE_DIR / \"migrations\"", id="schemakit.E008"))
    return errors + _check_fanout(raw)


def _check_fanout(raw: dict) -> list[checks.CheckMessage]:
    """DATABASES names known aliases; TENANTS is a callable, a dotted path or a query; CITUS a dict."""
    errors = []
    aliases = raw.get("DATABASES")
    if aliases is not None and (not isinstance(aliases, (list, tuple)) or not set(aliases) <= set(settings.DATABASES)):
        errors.append(checks.Error(f"SCHEMAKIT['DATABASES'] = {aliases!r} must list aliases of DATABASES",
                                   hint=f"e.g. {list(settings.DATABASES)}", id="schemakit.E010"))
    tenants = raw.get("TENANTS")
    if tenants is not None and not (callable(tenants) or (isinstance(tenants, str) and tenants.strip())):
        errors.append(checks.Error("SCHEMAKIT['TENANTS'] must be a dotted path to a callable(alias) or an SQL query",
                                   hint="e.g. \"SELECT schema_name FROM public.customers\"", id="schemakit.E011"))
    citus = raw.get("CITUS")
    if citus is not None and not (isinstance(citus, dict) and set(citus) <= {"distributed", "reference"}):
        errors.append(checks.Error("SCHEMAKIT['CITUS'] must be {'distributed': {...}, 'reference': [...]}",
                                   hint="see README, Running on Citus", id="schemakit.E012"))
    return errors


def _is_postgresql(alias: str) -> bool:
    from django.core.exceptions import ImproperlyConfigured

    from .conf import is_postgresql

    try:
        return is_postgresql(alias)
    except ImproperlyConfigured:  # the backend does not load: Django reports that itself
        return True


def _check_schema_loads() -> list[checks.CheckMessage]:
    from .api.project import project_for
    from .errors import SchemaImportError, SchemaKitError

    try:
        project_for().load_schema()
    except SchemaImportError as exc:
        # a warning: Django's own commands (migrate, runserver) must work while the module is being written
        return [checks.Warning(f"schema module: {exc}", hint="the db_* commands refuse to run until it imports",
                               id="schemakit.W001")]
    except SchemaKitError as exc:
        return [checks.Error(f"schema module: {exc}", hint="fix the schema module; db_generate reports the same", id="schemakit.E009")]
    return []
