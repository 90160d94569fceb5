"""Where things are: the schema module(s), the migrations folder, the database."""

from __future__ import annotations

import importlib.util
import sys
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any

import psycopg

from .. import conf
from ..errors import (
    SchemaError,
    SchemaImportError,
    SchemaKitError,
    located,
)
from ..history import folder as md
from ..history.locks import Limits
from ..history.parts import PER_DATABASE
from ..pg.introspect import Ignore
from ..schema import model

if TYPE_CHECKING:
    from ..schema.references import External


@dataclass
class Project:
    """Where things are: the schema module(s), the migrations folder, the database."""

    schema_modules: list[str]
    migrations_dir: Path
    params: Callable[[], dict[str, Any]] | None = None  # psycopg.connect() kwargs, resolved lazily
    tracking: tuple[str, str] = ("public", "schemakit_migrations")
    ignore: Ignore = field(default=lambda s, t: False)
    external: External | None = None  # resolves references to tables schemakit does not own
    limits: Limits = field(default_factory=Limits)  # lock/statement timeouts and retries of migrations
    part: str | None = None  # with tenants: "shared" or "tenant", the part of each file this project runs
    citus: dict | None = None  # SCHEMAKIT["CITUS"]: db_check's Citus rules

    def ignored(self, schema: str, name: str) -> bool:
        """What schemakit never touches: the tracking table and the configured ignores."""
        return (schema, name) in (self.tracking, results_table(self.tracking)) or self.ignore(schema, name)

    @property
    def folder(self) -> md.MigrationsDir:
        if self.part is not None:
            from ..history.parts import PartDir

            return PartDir(self.migrations_dir, self.part)
        return md.MigrationsDir(self.migrations_dir)

    def connection_params(self) -> dict[str, Any]:
        if self.params is None:
            raise SchemaKitError("no database configured")
        return self.params()

    def connect(self) -> psycopg.Connection:
        from ..errors import DatabaseUnavailable, pg_error_line

        params = self.connection_params()
        try:
            return psycopg.connect(**params, autocommit=True)
        except psycopg.OperationalError as exc:
            raise DatabaseUnavailable(f"cannot connect to the database: {pg_error_line(exc)}") from None

    def load_schema(self) -> model.Database:
        """Compile the schema module(s), or read them from the cache when no file they read has changed."""
        from ..schema import cache

        return cache.load(self.schema_modules, self.external, self.compile_schema)

    def compile_schema(self, external: External | None) -> model.Database:
        """Compile the schema module(s); a path ending in .py is loaded from that file, afresh."""
        from ..schema.compile import compile_objects, module_objects  # the language: only when the cache misses

        objects: list[Any] = []
        for m in self.schema_modules:
            objects.extend(load_file(Path(m)) if m.endswith(".py") else module_objects(m))
        return compile_objects(objects, external)


def results_table(tracking: tuple[str, str]) -> tuple[str, str]:
    """Where a fan-out run records each target's last result: beside the tracking table."""
    return tracking[0], tracking[1] + "_targets"


def load_file(path: Path) -> list[Any]:
    from ..schema.bytecode import code_of
    from ..schema.cachefiles import cache_dir
    from ..schema.compile import COLLECTED

    name = f"schemakit_schema_{abs(hash(str(path.resolve())))}"
    spec = importlib.util.spec_from_file_location(name, path)
    if spec is None or spec.loader is None:
        raise SchemaError(f"cannot load schema file {path}")
    module = importlib.util.module_from_spec(spec)
    try:
        sys.modules[name] = module
        # never __pycache__: its check (mtime in whole seconds, size) misses an edit of the same size
        # within a second; bytecode checked by the source's hash instead
        exec(code_of(str(path), path.read_bytes(), cache_dir()), module.__dict__)
    except SchemaError as exc:  # a mistake the language caught while the module ran
        raise located(exc) from None
    except Exception as exc:  # the user's module failed: one line, naming the file and line
        raise SchemaImportError.from_exception(str(path), exc) from None
    finally:
        sys.modules.pop(name, None)
    return [v for v in vars(module).values() if isinstance(v, COLLECTED)]


def project_for(alias: str | None = None) -> Project:
    """The Project of a Django database alias, from the SCHEMAKIT settings."""
    alias = alias or conf.database()

    def params() -> dict:
        return conf.connection_params(alias)

    return Project(
        schema_modules=conf.schema_modules(),
        migrations_dir=conf.migrations_dir(),
        params=params,
        tracking=conf.migrations_table(),
        ignore=conf.ignore_filter(),
        limits=Limits(conf.lock_timeout(), conf.statement_timeout(), conf.retries()),
        external=conf.external_reference,
        part=PER_DATABASE if conf.tenants() is not None else None,
        citus=conf.citus(),
    )
