"""Admin "Schema migrations": read-only, staff with the view permission only."""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from django.contrib import admin
from django.utils.html import format_html

from . import conf
from .errors import MigrationsDirError
from .models import SchemaMigration
from .pg.quote import ident

if TYPE_CHECKING:  # the folder's reader (and the model) load when a page is shown, not with every command
    from .history.folder import MigrationsDir


def _table_exists() -> bool:
    """The tracking table appears with the first db_migrate; before that nothing is applied."""
    from django.db import connections

    with connections[conf.database()].cursor() as cur:
        cur.execute("SELECT to_regclass(%s) IS NOT NULL", [ident(*conf.migrations_table())])
        return cur.fetchone()[0]


def _folder() -> MigrationsDir:
    from .history.folder import MigrationsDir

    return MigrationsDir(conf.migrations_dir())


def _journal_file(name: str) -> Path | None:
    """The up file of a journal entry named `name`, resolved inside the folder; None for any other name."""
    folder = _folder()
    try:
        if name not in {e.name for e in folder.journal()}:
            return None
    except MigrationsDirError:
        return None
    path = folder.up_path(name).resolve()
    return path if path.parent == folder.path.resolve() and path.is_file() else None


@admin.register(SchemaMigration)
class SchemaMigrationAdmin(admin.ModelAdmin):
    list_display = ("name", "applied_at", "duration", "file_state", "applied_by")
    readonly_fields = ("name", "applied_at", "duration", "file_state", "applied_by", "checksum", "sql")
    fields = readonly_fields
    search_fields = ("name",)
    change_list_template = "admin/schemakit/schemamigration/change_list.html"

    def get_queryset(self, request):
        qs = super().get_queryset(request).using(conf.database())
        return qs if _table_exists() else qs.none()

    def has_add_permission(self, request) -> bool:
        return False

    def has_change_permission(self, request, obj=None) -> bool:
        return False

    def has_delete_permission(self, request, obj=None) -> bool:
        return False

    def get_actions(self, request):
        return {}

    @admin.display(description="duration")
    def duration(self, obj: SchemaMigration) -> str:
        return f"{obj.execution_ms} ms"

    @admin.display(description="file")
    def file_state(self, obj: SchemaMigration) -> str:
        path = _journal_file(obj.name)
        if path is None:
            return "not in the journal or file missing"
        if obj.statements_done is not None:
            from .errors import SqlSyntaxError
            from .history.folder import split_statements

            try:
                total = len(split_statements(_folder().read_sql(path), path.name))
            except SqlSyntaxError as exc:
                return str(exc)
            return f"partial: {obj.statements_done} of {total} statements"
        from .history.folder import checksum

        return "checksum matches" if checksum(path.read_bytes()) == obj.checksum else "edited"

    @admin.display(description="SQL")
    def sql(self, obj: SchemaMigration) -> str:
        path = _journal_file(obj.name)
        try:
            text = _folder().read_sql(path) if path else "(not in the journal, or the file is missing)"
        except MigrationsDirError as exc:
            text = str(exc)
        return format_html('<pre style="white-space: pre-wrap">{}</pre>', text)

    def changelist_view(self, request, extra_context=None):
        extra_context = dict(extra_context or {})
        applied = set()
        if _table_exists():
            applied = set(SchemaMigration.objects.using(conf.database()).values_list("name", flat=True))
        extra_context["pending"] = [e.name for e in _folder().journal() if e.name not in applied]
        extra_context["targets"], extra_context["targets_error"] = _targets()
        return super().changelist_view(request, extra_context)


def _targets() -> tuple[list, str]:
    """db_status --all-databases --tenants, read-only: (one row per target, or an error line)."""
    if conf.tenants() is None and len(conf.databases()) < 2:
        return [], ""
    from .api.fanout import fleet, states, targets_of
    from .api.project import project_for
    from .errors import SchemaKitError

    try:
        with fleet({alias: project_for(alias) for alias in conf.databases()}) as f:
            return states(f, targets_of(f, conf.tenants() is not None, [])), ""
    except SchemaKitError as exc:
        return [], str(exc)
