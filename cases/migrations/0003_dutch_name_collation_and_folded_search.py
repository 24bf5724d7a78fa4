# Issue 12 (search): surnames in Dutch order through an ICU collation on PostgreSQL (a Python
# collation of the same name is registered on SQLite connections, cases/collation.py), and the
# stored search key recomputed with the letters that do not decompose folded ('Yılmaz' -> 'yilmaz').

import django.db.models.functions.comparison
from django.contrib.postgres.operations import CreateCollation
from django.db import migrations, models

from common.text import search_key


def recompute_search_names(apps, schema_editor):
    Inburgeraar = apps.get_model("cases", "Inburgeraar")
    changed = []
    for case in Inburgeraar.objects.only("first_names", "surname_prefix", "surname", "search_name"):
        parts = (case.first_names, case.surname_prefix, case.surname)
        key = search_key(" ".join(part for part in parts if part))
        if key != case.search_name:
            case.search_name = key
            changed.append(case)
    Inburgeraar.objects.bulk_update(changed, ["search_name"], batch_size=500)


class Migration(migrations.Migration):
    dependencies = [
        ("cases", "0002_legal_representative"),
    ]

    operations = [
        # No-op on SQLite; on PostgreSQL an ICU collation for Dutch (needs PostgreSQL built with
        # ICU, as Debian's and the official images are).
        CreateCollation("nl_names", provider="icu", locale="nl-NL"),
        migrations.AlterModelOptions(
            name="inburgeraar",
            options={
                "default_permissions": ("add", "change", "delete", "view"),
                "ordering": [
                    django.db.models.functions.comparison.Collate(models.F("surname"), "nl_names"),
                    django.db.models.functions.comparison.Collate(
                        models.F("first_names"), "nl_names"
                    ),
                    "id",
                ],
                "verbose_name": "inburgeraar",
                "verbose_name_plural": "inburgeraars",
            },
        ),
        migrations.RunPython(recompute_search_names, migrations.RunPython.noop),
    ]
