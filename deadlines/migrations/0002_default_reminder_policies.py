"""Region-wide reminder policies for every kind of deadline, editable by the beheerder.

The values are a copy of deadlines.rules.DEFAULT_POLICIES at the time of writing (a migration must
not import code that may change later)."""

from django.db import migrations

DEFAULTS = {
    "pip": ("14,7,3,0", 3),
    "uitnodiging": ("3,0", 2),
    "bezwaar": ("7,0", None),
    "cursusstart": ("30,14,0", 7),
    "schakelen": ("60,14", None),
    "termijn": ("180,90,30,0", None),
    "verlenging": ("14,0", None),
    "ontzorgen": ("30,14,0", None),
    "voortgang": ("7,0", 14),
    "cbs": ("14,3,0", 3),
}


def create_defaults(apps, schema_editor):
    ReminderPolicy = apps.get_model("deadlines", "ReminderPolicy")
    for kind, (offsets, escalate) in DEFAULTS.items():
        ReminderPolicy.objects.get_or_create(
            kind=kind,
            municipality=None,
            defaults={"offsets": offsets, "escalate_after_days": escalate, "is_active": True},
        )


def remove_defaults(apps, schema_editor):
    apps.get_model("deadlines", "ReminderPolicy").objects.filter(municipality=None).delete()


class Migration(migrations.Migration):
    dependencies = [("deadlines", "0001_initial")]

    operations = [migrations.RunPython(create_defaults, remove_defaults)]
