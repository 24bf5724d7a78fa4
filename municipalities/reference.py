"""The organisations of the region: the seven municipalities (CBS codes) and WerkSaam.

Used by the data migration (with its historical models) and wherever the reference data must be
restored, such as after a test database flush.
"""

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


def ensure_organisations(organisation_model, group_model) -> None:
    """Create or update the eight organisations, each with its group for per-case grants."""
    for name, slug, kind, cbs_code in ORGANISATIONS:
        group, _ = group_model.objects.get_or_create(name=f"Organisatie: {name}")
        organisation_model.objects.update_or_create(
            slug=slug, defaults={"name": name, "kind": kind, "cbs_code": cbs_code, "group": group}
        )
