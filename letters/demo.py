"""Demo letterheads for the seven municipalities. Demo values, not checked against the
municipalities' real addresses, postbus numbers or phone numbers: the beheerder keeps the real
ones in the admin (Briefhoofden)."""

from municipalities.selectors import municipalities

from .models import Letterhead

# slug: (visiting street, postcode, city, postbus, postal postcode, website)
DEMO_LETTERHEADS = {
    "drechterland": (
        "Raadhuisstraat 1",
        "1616 PA",
        "Hoogkarspel",
        "9",
        "1616 ZG",
        "drechterland.nl",
    ),
    "enkhuizen": ("Westerstraat 1", "1601 AA", "Enkhuizen", "11", "1600 AA", "enkhuizen.nl"),
    "hoorn": ("Nieuwe Steen 1", "1625 HV", "Hoorn", "603", "1620 AR", "hoorn.nl"),
    "koggenland": ("Tiendweg 6", "1648 MA", "De Goorn", "21", "1647 ZG", "koggenland.nl"),
    "medemblik": ("Dick Ketlaan 22", "1687 CC", "Wognum", "45", "1687 ZG", "medemblik.nl"),
    "opmeer": ("Klaproos 1", "1716 XA", "Hoogwoud", "199", "1716 ZK", "opmeer.nl"),
    "stedebroec": ("Raadhuisplein 1", "1613 LZ", "Grootebroek", "20", "1610 AA", "stedebroec.nl"),
}


# Demo bank accounts: made-up BNG Bank numbers whose check digits pass the IBAN check (ISO 13616),
# so a demo boetebeschikking can say where to pay. Not the municipalities' real accounts.
DEMO_IBANS = {
    "drechterland": "NL14BNGH0285001234",
    "enkhuizen": "NL38BNGH0285012345",
    "hoorn": "NL62BNGH0285023456",
    "koggenland": "NL86BNGH0285034567",
    "medemblik": "NL13BNGH0285045678",
    "opmeer": "NL37BNGH0285056789",
    "stedebroec": "NL40BNGH0285067890",
}
OTHER_DEMO_IBAN = "NL20INGB0001234567"


def seed_letterheads() -> int:
    """One letterhead per municipality, created once; a beheerder's edits are kept. A letterhead
    made before the IBAN was kept gets its demo IBAN."""
    created = 0
    for organisation in municipalities():
        street, code, city, postbus, postal_code, website = DEMO_LETTERHEADS.get(
            organisation.slug,
            ("Raadhuisplein 1", "1600 AA", organisation.name, "1", "1600 AA", "westfriesland.nl"),
        )
        iban = DEMO_IBANS.get(organisation.slug, OTHER_DEMO_IBAN)
        letterhead, was_created = Letterhead.objects.get_or_create(
            organisation=organisation,
            defaults={
                "visiting_street": street,
                "visiting_postal_code": code,
                "visiting_city": city,
                "postbus": postbus,
                "postal_postal_code": postal_code,
                "postal_city": city,
                "phone": "14 0229",
                "email": f"inburgering@{website}",
                "website": f"www.{website}",
                "signatory_name": "Drs. M. Jansen",
                "signatory_function": "Teamleider Inburgering",
                "iban": iban,
                "iban_name": f"Gemeente {organisation.name}",
            },
        )
        if not letterhead.iban:
            Letterhead.objects.filter(pk=letterhead.pk).update(
                iban=iban, iban_name=letterhead.iban_name or f"Gemeente {organisation.name}"
            )
        created += was_created
    return created


def seed_bezwaren(users: dict) -> int:
    """One bezwaarschrift per municipality against its most recent adopted PIP, received five
    days ago (on time) with its hoorzitting in two weeks, so the demo shows a beslistermijn and a
    hoorzitting. Idempotent: a case with a bezwaar is left alone."""
    from datetime import datetime, time, timedelta

    from django.utils import timezone

    from pip_plans.models import PipStatus, PipVersion

    from . import services
    from .models import Bezwaar

    today = timezone.localdate()
    created = 0
    for organisation in municipalities():
        caseworker = users.get(f"klantmanager.{organisation.slug}")
        if caseworker is None:
            continue
        if Bezwaar.objects.filter(inburgeraar__municipality=organisation).exists():
            continue
        version = (
            PipVersion.objects.filter(
                pip__inburgeraar__municipality=organisation,
                status=PipStatus.VASTGESTELD,
                dagtekening__gte=today - timedelta(days=41),
            )
            .order_by("-dagtekening")
            .first()
        )
        if version is None:
            continue
        received = max(version.dagtekening, today - timedelta(days=5))
        bezwaar = services.register_bezwaar(
            caseworker,
            version.pip.inburgeraar_id,
            pip_version=version,
            received_on=received,
            grounds="De inburgeraar wil de onderwijsroute volgen.",
        )
        hearing_day = today + timedelta(days=14)
        services.plan_hearing(
            caseworker,
            bezwaar,
            hearing_at=timezone.make_aware(datetime.combine(hearing_day, time(14, 0))),
        )
        created += 1
    return created
