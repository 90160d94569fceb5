"""Build a Project (api.py) from Django settings."""

from __future__ import annotations

from . import conf, db
from .api import Project
from .locks import Limits


def project(alias: str | None = None) -> Project:
    alias = alias or conf.database()

    def params() -> dict:
        return db.connection_params(alias)

    return Project(
        schema_modules=conf.schema_modules(),
        migrations_dir=conf.migrations_dir(),
        params=params,
        tracking=conf.migrations_table(),
        ignore=db.ignore_filter(),
        limits=Limits(conf.lock_timeout(), conf.statement_timeout(), conf.retries()),
        external=db.external_reference,
    )
