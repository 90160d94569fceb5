# The studio's permissions; no table (the model is unmanaged and never queried).
from django.db import migrations, models


class Migration(migrations.Migration):
    dependencies = [("schemakit", "0001_initial")]
    operations = [
        migrations.CreateModel(
            name="Studio",
            fields=[("id", models.BigAutoField(primary_key=True, serialize=False))],
            options={
                "managed": False,
                "default_permissions": (),
                "permissions": [
                    ("studio_view_data", "Can browse data in the studio"),
                    ("studio_edit_data", "Can edit data in the studio"),
                    ("studio_run_sql", "Can run read-only SQL in the studio"),
                ],
            },
        ),
    ]
