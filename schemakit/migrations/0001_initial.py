# Django's own migration for the admin's unmanaged model: it creates no table (schemakit's
# migrator owns the tracking table), only the content type and the view permission.
from django.db import migrations, models


class Migration(migrations.Migration):
    initial = True
    dependencies = []
    operations = [
        migrations.CreateModel(
            name="SchemaMigration",
            fields=[
                ("id", models.BigAutoField(primary_key=True, serialize=False)),
                ("name", models.TextField(unique=True)),
                ("checksum", models.TextField()),
                ("applied_at", models.DateTimeField()),
                ("execution_ms", models.IntegerField()),
                ("applied_by", models.TextField()),
            ],
            options={
                "managed": False,
                "db_table": "schemakit_migrations",
                "ordering": ["name"],
                "verbose_name": "schema migration",
                "verbose_name_plural": "schema migrations",
                "default_permissions": ("view",),
            },
        ),
    ]
