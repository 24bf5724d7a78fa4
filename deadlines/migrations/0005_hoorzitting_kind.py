"""The hoorzitting of a bezwaarschrift (Awb 7:2) as a kind of deadline, with its region-wide
reminder policy (a copy of deadlines.rules.DEFAULT_POLICIES at the time of writing)."""

from django.db import migrations, models

DEFAULTS = {"hoorzitting": ("7,1", 3)}


def create_defaults(apps, schema_editor):
    ReminderPolicy = apps.get_model("deadlines", "ReminderPolicy")
    for kind, (offsets, escalate) in DEFAULTS.items():
        ReminderPolicy.objects.get_or_create(
            kind=kind,
            municipality=None,
            defaults={"offsets": offsets, "escalate_after_days": escalate, "is_active": True},
        )


def remove_defaults(apps, schema_editor):
    apps.get_model("deadlines", "ReminderPolicy").objects.filter(
        municipality=None, kind__in=DEFAULTS
    ).delete()


class Migration(migrations.Migration):
    dependencies = [
        ("deadlines", "0004_beslistermijn_kind"),
    ]

    operations = [
        migrations.AlterField(
            model_name="deadline",
            name="kind",
            field=models.CharField(
                choices=[
                    ("pip", "PIP vaststellen"),
                    ("uitnodiging", "Reactiedatum uitnodiging intake"),
                    ("bezwaar", "Einde bezwaartermijn PIP"),
                    ("cursusstart", "Start inburgeringscursus"),
                    ("schakelen", "Einde schakelperiode"),
                    ("termijn", "Einde inburgeringstermijn"),
                    ("verlenging", "Verlenging aan te vragen"),
                    ("ontzorgen", "Einde ontzorgen (minimaal 6 maanden)"),
                    ("voortgang", "Voortgangsgesprek"),
                    ("cbs", "Kwartaalrapportage CBS (Statistiek Wet Inburgering)"),
                    ("beslistermijn", "Beslissing op bezwaar (beslistermijn)"),
                    ("hoorzitting", "Hoorzitting bezwaarschrift"),
                ],
                max_length=20,
                verbose_name="soort",
            ),
        ),
        migrations.AlterField(
            model_name="reminderpolicy",
            name="kind",
            field=models.CharField(
                choices=[
                    ("pip", "PIP vaststellen"),
                    ("uitnodiging", "Reactiedatum uitnodiging intake"),
                    ("bezwaar", "Einde bezwaartermijn PIP"),
                    ("cursusstart", "Start inburgeringscursus"),
                    ("schakelen", "Einde schakelperiode"),
                    ("termijn", "Einde inburgeringstermijn"),
                    ("verlenging", "Verlenging aan te vragen"),
                    ("ontzorgen", "Einde ontzorgen (minimaal 6 maanden)"),
                    ("voortgang", "Voortgangsgesprek"),
                    ("cbs", "Kwartaalrapportage CBS (Statistiek Wet Inburgering)"),
                    ("beslistermijn", "Beslissing op bezwaar (beslistermijn)"),
                    ("hoorzitting", "Hoorzitting bezwaarschrift"),
                ],
                max_length=20,
                verbose_name="soort termijn",
            ),
        ),
        migrations.RunPython(create_defaults, remove_defaults),
    ]
