from django.apps import AppConfig


class SchemaKitConfig(AppConfig):
    name = "schemakit"
    verbose_name = "Schema migrations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self) -> None:
        from django.core.signals import setting_changed

        from . import checks  # noqa: F401  (registers the system checks)
        from .models import follow_setting, point_at_tracking_table
        from .testdb import install

        point_at_tracking_table()
        setting_changed.connect(follow_setting)
        install(self)
