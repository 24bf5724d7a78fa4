from django.db import migrations

from municipalities.reference import ensure_organisations


def create_organisations(apps, schema_editor):
    ensure_organisations(
        apps.get_model("municipalities", "Organisation"), apps.get_model("auth", "Group")
    )


class Migration(migrations.Migration):
    dependencies = [
        ("municipalities", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_organisations, migrations.RunPython.noop)]
