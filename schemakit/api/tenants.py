"""Targets of a fan-out run: databases, their tenant schemas, and what each one still needs.

A target is a database alias and a schema: "" is the shared pass (the whole files when there are no
tenants), a tenant schema gets each file's tenant part with search_path set to it. Finding what every
target needs costs a few queries on one connection per database, not one connection per tenant."""

from __future__ import annotations

import dataclasses
import re
from dataclasses import dataclass, field
from typing import Any

import psycopg

from .. import conf
from ..errors import ConfigError, UsageError
from ..history import folder as md
from ..history.parts import PER_DATABASE, PER_TENANT
from ..history.tracker import Applied
from ..pg.quote import ident, literal
from .project import Project, results_table
from .states import migration_states

RESERVED = ("public", "information_schema")


@dataclass(frozen=True, order=True)
class Target:
    alias: str
    schema: str = ""  # "": the shared pass

    def __str__(self) -> str:
        return f"{self.alias}/{self.schema}" if self.schema else self.alias


@dataclass
class TargetState:
    """What one target needs: its pending, partial and edited migrations, and its last fan-out result."""

    target: Target
    pending: list[str] = field(default_factory=list)
    edited: list[str] = field(default_factory=list)  # edited after it ran, or applied and missing from the folder
    last: tuple[str, str] | None = None  # (result, detail) of the last fan-out run that reached it

    @property
    def state(self) -> str:
        if self.edited:
            return "edited"
        if self.pending:
            return "failed" if self.last and self.last[0] == "failed" else "pending"
        return "up to date"

    def as_json(self) -> dict[str, Any]:
        failed = self.last[1] if self.last and self.last[0] == "failed" else None
        return {"database": self.target.alias, "schema": self.target.schema or None, "state": self.state,
                "pending": self.pending, "edited": self.edited, "error": failed}


def listed_tenants(alias: str, conn: psycopg.Connection) -> list[str]:
    """The tenant schemas SCHEMAKIT['TENANTS'] returns for `alias`, validated, in its order."""
    from django.utils.module_loading import import_string

    source = conf.tenants()
    if source is None:
        raise UsageError("--tenants/--tenant need SCHEMAKIT['TENANTS'] (a dotted path to a callable(alias) "
                         "or an SQL query returning schema names)")
    if isinstance(source, str) and re.fullmatch(r"[A-Za-z_][\w.]*", source):
        try:
            source = import_string(source)
        except ImportError as exc:
            raise ConfigError(f"SCHEMAKIT['TENANTS']: {exc}") from None
    if callable(source):
        names = list(source(alias))
    else:
        try:
            names = [r[0] for r in conn.execute(str(source).encode()).fetchall()]
        except psycopg.Error as exc:
            raise ConfigError(f"SCHEMAKIT['TENANTS'] query failed on {alias!r}: {exc.diag.message_primary}") from None
    return validate_names(names, f"SCHEMAKIT['TENANTS'] for {alias!r}")


def validate_names(names: list[Any], where: str) -> list[str]:
    """Refuse what cannot be a tenant schema: not a string, empty, over 63 bytes, pg_*, public; drop repeats."""
    for name in names:
        if not isinstance(name, str) or not name or "\x00" in name or len(name.encode()) > 63:
            raise ConfigError(f"{where}: {name!r} is not a schema name (1 to 63 bytes of text)")
        if name.startswith("pg_") or name in RESERVED:
            raise ConfigError(f"{where}: {name!r} cannot be a tenant schema (reserved; shared tables live outside tenants)")
    return list(dict.fromkeys(names))  # in order, each once (a set: thousands of tenants stay linear)


def select_targets(aliases: list[str], conns: dict[str, psycopg.Connection], all_tenants: bool,
                   named: list[str], tracking_schema: str) -> list[Target]:
    """The shared pass of each alias, then its tenants (all, or the named ones); named ones must be listed."""
    out = [Target(a) for a in aliases]
    if not all_tenants and not named:
        return out
    unknown = set(named)
    for alias in aliases:
        listed = [t for t in listed_tenants(alias, conns[alias]) if t != tracking_schema]
        known = set(listed)
        chosen = listed if all_tenants else [t for t in named if t in known]
        unknown -= known
        missing = _missing_schemas(conns[alias], chosen)
        if missing:
            raise ConfigError(f"database {alias!r} has no schema {', '.join(missing[:5])}"
                              f"{' …' if len(missing) > 5 else ''} (SCHEMAKIT['TENANTS'] lists it; create it first)")
        out += [Target(alias, t) for t in chosen]
    if unknown and not all_tenants:
        raise UsageError(f"--tenant {sorted(unknown)[0]}: not a tenant of {', '.join(aliases)} (SCHEMAKIT['TENANTS'])")
    return out


def _missing_schemas(conn: psycopg.Connection, names: list[str]) -> list[str]:
    found = {r[0] for r in conn.execute("SELECT nspname FROM pg_namespace WHERE nspname = ANY(%s)", (names,))}
    return [n for n in names if n not in found]


def target_project(base: Project, params: dict[str, Any], target: Target) -> Project:
    """The Project of one target: its own connection settings, tracking table and part of each file."""
    if not target.schema:
        return dataclasses.replace(base, params=lambda: params)
    # search_path is set when the connection starts, and the connection serves this target only: nothing leaks.
    # public follows the tenant (as in django-tenants): extensions' types and functions, Django's tables
    path = f"{ident(target.schema)},public".replace("\\", "\\\\").replace(" ", "\\ ")
    options = f"{params.get('options', '')} -c search_path={path}".strip()
    own = {**params, "options": options}
    return dataclasses.replace(base, params=lambda: own, tracking=(target.schema, base.tracking[1]), part=PER_TENANT)


def matrix(conn: psycopg.Connection, project: Project, targets: list[Target]) -> list[TargetState]:
    """Every target's state on one database, from one query over their tracking tables (and one over the results)."""
    table = project.tracking[1]
    schemas = {t.schema or project.tracking[0]: t for t in targets}
    have = [r[0] for r in conn.execute(
        "SELECT n.nspname FROM pg_class c JOIN pg_namespace n ON n.oid = c.relnamespace"
        " WHERE c.relname = %s AND c.relkind IN ('r', 'p') AND n.nspname = ANY(%s)", (table, list(schemas)))]
    applied: dict[str, list[Applied]] = {s: [] for s in schemas}
    if have:
        union = " UNION ALL ".join(
            f"SELECT {literal(s)}, name, checksum, applied_at, execution_ms, applied_by,"
            f" (to_jsonb(t)->>'statements_done')::int, coalesce(to_jsonb(t)->'statement_hashes', '[]')"
            f" FROM {ident(s, table)} t" for s in have)
        for row in conn.execute(union + " ORDER BY 1, 2"):
            applied[row[0]].append(Applied(*row[1:7], tuple(row[7])))
    last = last_results(conn, project)
    judge = _Judge(project)
    return [judge.state(t, applied[t.schema or project.tracking[0]], last.get(t.schema)) for t in targets]


class _Judge:
    """Target states from applied rows, reading the folder once (not once per tenant)."""

    def __init__(self, project: Project) -> None:
        self.folders = {PER_DATABASE: project.folder, PER_TENANT: dataclasses.replace(project, part=PER_TENANT).folder}
        self.journal = [e.name for e in self.folders[PER_TENANT].journal()]
        self.sums = {n: md.checksum(self.folders[PER_TENANT].up_path(n).read_bytes()) for n in self.journal
                     if self.folders[PER_TENANT].up_path(n).exists()}

    def state(self, target: Target, applied: list[Applied], last: tuple[str, str] | None) -> TargetState:
        out = TargetState(target, last=last)
        by_name = {a.name: a for a in applied}
        if all(a.done is None and self.sums.get(a.name) == a.checksum for a in applied):  # the common case
            out.pending = [n for n in self.journal if n not in by_name]
            return out
        folder = self.folders[PER_TENANT if target.schema else PER_DATABASE]
        for s in migration_states(folder, applied):
            if s.state in ("pending", "partial"):
                out.pending.append(s.name)
            elif s.state != "applied" or s.edited_statement is not None:
                out.edited.append(s.name)
        return out


def last_results(conn: psycopg.Connection, project: Project) -> dict[str, tuple[str, str]]:
    """{target schema: (result, detail)} of the last fan-out run on this database ("" is the shared pass)."""
    if conn.execute("SELECT to_regclass(%s)", (ident(*results_table(project.tracking)),)).fetchone()[0] is None:
        return {}
    return {r[0]: (r[1], r[2]) for r in conn.execute(
        f"SELECT target_schema, result, detail FROM {ident(*results_table(project.tracking))}")}


def ensure_results(conn: psycopg.Connection, project: Project) -> None:
    """Create the table of fan-out results beside the tracking table (the shared pass made its schema)."""
    table = ident(*results_table(project.tracking))
    if conn.execute("SELECT to_regclass(%s)", (table,)).fetchone()[0] is None:
        conn.execute(f"CREATE TABLE IF NOT EXISTS {table} (target_schema text PRIMARY KEY, result text NOT NULL,"
                     " detail text NOT NULL DEFAULT '', finished_at timestamptz NOT NULL DEFAULT now())")


def record_result(conn: psycopg.Connection, project: Project, schema: str, result: str, detail: str) -> None:
    """Remember a target's result (done or failed), for db_status and --only-failed."""
    table = ident(*results_table(project.tracking))
    conn.execute(f"INSERT INTO {table} AS r (target_schema, result, detail) VALUES (%s, %s, %s)"
                 " ON CONFLICT (target_schema) DO UPDATE SET result = excluded.result, detail = excluded.detail,"
                 " finished_at = now()", (schema, result, detail))

