from django.db import migrations

ORGANISATIONS = [
    ("Drechterland", "drechterland", "gemeente", "GM0498"),
    ("Enkhuizen", "enkhuizen", "gemeente", "GM0388"),
    ("Hoorn", "hoorn", "gemeente", "GM0405"),
    ("Koggenland", "koggenland", "gemeente", "GM1598"),
    ("Medemblik", "medemblik", "gemeente", "GM0420"),
    ("Opmeer", "opmeer", "gemeente", "GM0432"),
    ("Stede Broec", "stedebroec", "gemeente", "GM0532"),
    ("WerkSaam Westfriesland", "werksaam", "werksaam", None),
]


def create_organisations(apps, schema_editor):
    Organisation = apps.get_model("municipalities", "Organisation")
    Group = apps.get_model("auth", "Group")
    for name, slug, kind, cbs_code in ORGANISATIONS:
        group, _ = Group.objects.get_or_create(name=f"Organisatie: {name}")
        Organisation.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "cbs_code": cbs_code, "group": group}
        )


class Migration(migrations.Migration):
    dependencies = [
        ("municipalities", "0001_initial"),
        ("auth", "0012_alter_user_first_name_max_length"),
    ]

    operations = [migrations.RunPython(create_organisations, migrations.RunPython.noop)]
