"""The library: plain functions over a Project that never print; the db_* commands are thin shells over them.

    generate  the next migration file(s)        migrate   apply, --baseline, rollback
    status    each migration's state and drift  push/pull sync a development database, read one back
    check     the folder, the schema, the lint  update    rewrite the newest, unapplied migration
"""

from .generate import Generated, generate, plan_changes
from .migrate import baseline, migrate, plan_migrate, plan_rollback, rollback
from .project import Project, project_for
from .status import Status, drift, status

__all__ = ["Generated", "Project", "Status", "baseline", "drift", "generate", "migrate", "plan_changes", "plan_migrate",
           "plan_rollback", "project_for", "rollback", "status"]
