"""Test databases get the schema: when Django creates one, schemakit applies its migrations after Django's."""

from __future__ import annotations

import logging
from typing import Any

from django.db.backends.base.creation import BaseDatabaseCreation
from django.db.models.signals import post_migrate

from . import conf

log = logging.getLogger("schemakit")
_creating: set[str] = set()  # aliases whose test database Django is creating right now


def install(app_config: Any) -> None:
    """Mark test-database creation, and apply the schema when its migrate is done (post_migrate)."""
    if not getattr(BaseDatabaseCreation.create_test_db, "_schemakit", False):
        original = BaseDatabaseCreation.create_test_db

        def create_test_db(self, *args, **kwargs):
            _creating.add(self.connection.alias)
            try:
                return original(self, *args, **kwargs)
            finally:
                _creating.discard(self.connection.alias)

        create_test_db._schemakit = True  # type: ignore[attr-defined]
        BaseDatabaseCreation.create_test_db = create_test_db
    post_migrate.connect(_after_migrate, sender=app_config, dispatch_uid="schemakit.testdb")


def _after_migrate(sender: Any, using: str = "default", **kwargs: Any) -> None:
    # post_migrate runs inside create_test_db before the database is serialised and cloned
    # (parallel tests), so both carry the schema; a plain `manage.py migrate` is left alone.
    mode = conf.test_database()
    if using not in _creating or using != conf.database() or mode is None:
        return
    apply_schema(using, mode)


def apply_schema(alias: str, mode: str) -> None:
    """Bring the database behind `alias` to the schema: its migrations ("migrate") or the module ("push")."""
    from .api.migrate import migrate
    from .api.project import project_for
    from .api.push import apply_push, plan_push
    from .diff.renames import Resolver

    p = project_for(alias)
    if mode == "migrate":
        applied = migrate(p)
        log.info("schemakit: applied %d migration(s) to the test database", len(applied or []))
        return
    pushed = plan_push(p, Resolver(no_renames=True))
    apply_push(p, pushed)
    log.info("schemakit: pushed the schema module to the test database")
