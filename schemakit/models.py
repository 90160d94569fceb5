"""The tracking table, for the admin only: schemakit's migrator creates and writes it, not Django."""

from __future__ import annotations

from django.db import models


class SchemaMigration(models.Model):
    id = models.BigAutoField(primary_key=True)
    name = models.TextField(unique=True)
    checksum = models.TextField()
    applied_at = models.DateTimeField()
    execution_ms = models.IntegerField()
    applied_by = models.TextField()
    statements_done = models.IntegerField(null=True)  # set while a no-transaction file is part-way through

    class Meta:
        managed = False
        db_table = "schemakit_migrations"  # replaced from SCHEMAKIT["MIGRATIONS_TABLE"]: see point_at_tracking_table
        ordering = ["name"]
        verbose_name = "schema migration"
        verbose_name_plural = "schema migrations"
        default_permissions = ("view",)

    def __str__(self) -> str:
        return self.name


class Studio(models.Model):
    """No table: the studio's three permissions (browse data, edit data, run SQL) hang on it."""

    class Meta:
        managed = False
        default_permissions = ()
        permissions = [
            ("studio_view_data", "Can browse data in the studio"),
            ("studio_edit_data", "Can edit data in the studio"),
            ("studio_run_sql", "Can run read-only SQL in the studio"),
        ]


def point_at_tracking_table() -> None:
    """Make the model read SCHEMAKIT["MIGRATIONS_TABLE"] (which may be schema-qualified)."""
    from . import conf
    from .pg.quote import ident

    schema, table = conf.migrations_table()
    meta = SchemaMigration._meta
    meta.db_table = table if schema == "public" else ident(schema, table)  # Django keeps a quoted name as is
    for field in meta.concrete_fields:
        field.__dict__.pop("cached_col", None)  # Django caches Col(db_table, field) on first use


def follow_setting(setting: str, **kwargs) -> None:
    """Re-point the model when SCHEMAKIT changes (override_settings): Django binds db_table once."""
    if setting == "SCHEMAKIT":
        point_at_tracking_table()
