"""The library: plain functions over a Project that never print; the db_* commands are thin shells over them.

    generate  the next migration file(s)        migrate   apply, --baseline, rollback
    status    each migration's state and drift  push/pull sync a development database, read one back
    check     the folder, the schema, the lint  update    rewrite the newest, unapplied migration
"""

import importlib
import sys
import types
from typing import Any

# imported on first use, so a command loads only its own part (db_pull never imports the differ)
_HOME = {"Generated": "generate", "generate": "generate", "plan_changes": "generate", "baseline": "migrate",
         "migrate": "migrate", "plan_migrate": "migrate", "plan_rollback": "migrate", "rollback": "migrate",
         "Project": "project", "project_for": "project", "Status": "status", "drift": "status", "status": "status"}

__all__ = ["Generated", "Project", "Status", "baseline", "drift", "generate", "migrate", "plan_changes", "plan_migrate",
           "plan_rollback", "project_for", "rollback", "status"]


class _Api(types.ModuleType):
    """Functions named like their module (generate, migrate, status) win over it, as when imported eagerly."""

    def __getattribute__(self, name: str) -> Any:
        if name in _HOME:
            return getattr(importlib.import_module(f"{__name__}.{_HOME[name]}"), name)
        return super().__getattribute__(name)


sys.modules[__name__].__class__ = _Api
