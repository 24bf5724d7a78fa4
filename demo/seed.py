"""The whole demo: users for every role, a few dozen realistic inburgeraars per municipality, and
then each app's own demo records (language schools, WerkSaam, intakes and PIPs with deadlines, the
uitvoering with its two language schools and a few cases at each end state).

Deterministic (a seeded random generator) and idempotent: running it again changes nothing.
"""

import random
from datetime import date, timedelta

from django.conf import settings
from django.db import transaction
from django.utils.text import slugify

from accounts.models import User
from accounts.second_factor import give_totp_device
from cases import services as case_services
from cases.models import CaseStatus, Doelgroep, Gender, HouseholdLink, Inburgeraar
from common.bsn import generate_bsn
from deadlines.demo import seed_deadlines
from intake import services as intake_services
from letters.demo import seed_bezwaren, seed_letterheads
from municipalities.models import Organisation, Role
from municipalities.selectors import municipalities
from municipalities.services import add_membership
from pip_plans.demo import seed_language_schools
from uitvoering.demo import seed_uitvoering
from werksaam_bridge.demo import seed_werksaam

CASES_PER_MUNICIPALITY = 30

# Names common among people who came to the Netherlands recently, by country of origin.
ORIGINS = [
    (
        "Syrisch",
        "Arabisch",
        ["Ahmad", "Mohammed", "Omar", "Khaled", "Yousef", "Rami"],
        ["Fatima", "Amal", "Rana", "Nour", "Hiba", "Lina"],
        ["Al-Hassan", "Haddad", "Khalil", "Al-Masri", "Darwish"],
    ),
    (
        "Eritrees",
        "Tigrinya",
        ["Tesfay", "Yonas", "Dawit", "Filmon", "Robel"],
        ["Helen", "Selam", "Senait", "Mehret", "Rahel"],
        ["Tesfamariam", "Ghebremedhin", "Kidane", "Haile", "Berhane"],
    ),
    (
        "Turks",
        "Turks",
        ["Mehmet", "Emre", "Burak", "Murat", "Kerem"],
        ["Ayşe", "Elif", "Zeynep", "Şeyma", "Büşra"],
        ["Yılmaz", "Şahin", "Demir", "Çelik", "Öztürk"],
    ),
    (
        "Afghaans",
        "Dari",
        ["Ahmad", "Farid", "Jawad", "Mustafa", "Habib"],
        ["Zahra", "Maryam", "Parwana", "Fereshta", "Nazanin"],
        ["Rahimi", "Ahmadi", "Hosseini", "Karimi", "Noori"],
    ),
    (
        "Marokkaans",
        "Arabisch",
        ["Youssef", "Said", "Hamid", "Karim", "Rachid"],
        ["Khadija", "Naima", "Samira", "Latifa", "Salma"],
        ["El Amrani", "Bouzid", "Benali", "El Idrissi", "Haddouchi"],
    ),
    (
        "Oekraïens",
        "Oekraïens",
        ["Oleksandr", "Andriy", "Dmytro", "Serhiy"],
        ["Olena", "Iryna", "Natalia", "Oksana"],
        ["Kovalenko", "Shevchenko", "Bondarenko", "Tkachenko"],
    ),
    (
        "Indiaas",
        "Hindi",
        ["Rahul", "Arjun", "Vikram", "Sanjay"],
        ["Priya", "Ananya", "Deepa", "Kavya"],
        ["Sharma", "Patel", "Reddy", "Iyer"],
    ),
    (
        "Jemenitisch",
        "Arabisch",
        ["Ali", "Hassan", "Saleh"],
        ["Aisha", "Huda", "Maha"],
        ["Al-Ahmadi", "Saeed", "Qasim"],
    ),
]

PLACES = {
    "drechterland": ["Hoogkarspel", "Westwoud", "Venhuizen", "Schellinkhout"],
    "enkhuizen": ["Enkhuizen"],
    "hoorn": ["Hoorn", "Zwaag", "Blokker"],
    "koggenland": ["Avenhorn", "De Goorn", "Ursem", "Obdam"],
    "medemblik": ["Medemblik", "Wognum", "Abbekerk", "Andijk", "Wervershoof"],
    "opmeer": ["Opmeer", "Spanbroek", "Hoogwoud"],
    "stedebroec": ["Bovenkarspel", "Grootebroek", "Lutjebroek"],
}
STREETS = [
    "Dorpsstraat",
    "Kerkstraat",
    "Molenweg",
    "Westerdijk",
    "Lindenlaan",
    "Schoolstraat",
    "Zuiderdijk",
    "Kastanjelaan",
    "Noorderstraat",
    "Julianalaan",
    "Grote Oost",
    "Nieuwstraat",
]


def demo_users():
    """(username, organisation slug, role, first name, last name) for every demo login."""
    first_names = [
        "Anouk",
        "Bram",
        "Claire",
        "Daan",
        "Eva",
        "Floor",
        "Gijs",
        "Hanneke",
        "Iris",
        "Jeroen",
        "Kees",
        "Lotte",
        "Marieke",
        "Niels",
    ]
    rows = []
    for index, org in enumerate(municipalities().order_by("name")):
        rows.append(
            (
                f"klantmanager.{org.slug}",
                [org.slug],
                Role.KLANTMANAGER,
                first_names[2 * index],
                "Klantmanager",
            )
        )
        rows.append(
            (
                f"teamleider.{org.slug}",
                [org.slug],
                Role.TEAMLEIDER,
                first_names[2 * index + 1],
                "Teamleider",
            )
        )
    all_municipalities = [org.slug for org in municipalities()]
    rows.append(("werksaam.medewerker", ["werksaam"], Role.WERKSAAM_MEDEWERKER, "Wendy", "de Wit"))
    rows.append(("beheerder", all_municipalities, Role.BEHEERDER, "Bert", "Beheer"))
    rows.append(("auditor", all_municipalities, Role.AUDITOR, "Astrid", "Audit"))
    rows.append(("privacy", all_municipalities, Role.PRIVACY_OFFICER, "Pieter", "Privacy"))
    return rows


@transaction.atomic
def seed_demo(stdout=None) -> dict:
    if not settings.DEBUG:
        raise RuntimeError("seed_demo weigert te draaien als DEBUG uit staat (productie).")
    organisations = {org.slug: org for org in Organisation.objects.all()}
    users = {}
    for username, org_slugs, role, first, last in demo_users():
        user, created = User.objects.get_or_create(
            username=username, defaults={"first_name": first, "last_name": last}
        )
        if created:
            user.set_password(settings.DEMO_PASSWORD)
            user.save()
        if settings.DEMO_TOTP_SECRET:
            give_totp_device(user, settings.DEMO_TOTP_SECRET)
        for slug in org_slugs:
            add_membership(actor=None, user=user, organisation=organisations[slug], role=role)
        users[username] = user
    seed_language_schools()
    seed_letterheads()
    created_cases = 0
    for org in municipalities().order_by("name"):
        caseworker = users[f"klantmanager.{org.slug}"]
        created_cases += _seed_cases(org, caseworker)
    seed_werksaam()
    seed_deadlines(users)
    seed_uitvoering(users)
    seed_bezwaren(users)
    return {"users": len(users), "new_cases": created_cases}


def _seed_cases(org, caseworker) -> int:
    rng = random.Random(f"demo-{org.cbs_code}")  # noqa: S311 - demo data, not security
    today = date.today()
    created = 0
    people = []
    for number in range(CASES_PER_MUNICIPALITY):
        nationality, language, men, women, surnames = rng.choice(ORIGINS)
        gender = rng.choice([Gender.MAN, Gender.VROUW])
        doelgroep = [
            Doelgroep.ASIELSTATUSHOUDER,
            Doelgroep.GEZINSMIGRANT,
            Doelgroep.OVERIGE_MIGRANT,
        ][number % 3]
        kennisgeving = today - timedelta(days=rng.randint(5, 75))
        status = _status_for(today - kennisgeving, rng)
        bsn = generate_bsn(rng)
        defaults = {
            "v_nummer": str(rng.randint(1000000000, 9999999999)),
            "first_names": rng.choice(men if gender == Gender.MAN else women),
            "surname": rng.choice(surnames),
            "date_of_birth": today - timedelta(days=rng.randint(18 * 365, 60 * 365)),
            "gender": gender,
            "nationality": nationality,
            "languages": language,
            "phone": f"06{rng.randint(10000000, 99999999)}",
            "street": rng.choice(STREETS),
            "house_number": str(rng.randint(1, 180)),
            "postal_code": f"16{rng.randint(10, 99)} {rng.choice('ABCDEGHJKLMNPRSTVWXZ')}{rng.choice('ABCDEGHJKLMNPRSTVWXZ')}",
            "city": rng.choice(PLACES[org.slug]),
            "doelgroep": doelgroep,
            "municipality": org,
            "caseworker": caseworker if rng.random() < 0.7 else None,
            "status": status,
            "datum_kennisgeving": kennisgeving,
            "datum_start_inburgeringsplicht": kennisgeving - timedelta(days=rng.randint(1, 30)),
            "datum_inschrijving_brp": kennisgeving + timedelta(days=rng.randint(-20, 20)),
            "datum_koppeling": (kennisgeving - timedelta(days=rng.randint(10, 60)))
            if doelgroep == Doelgroep.ASIELSTATUSHOUDER
            else None,
        }
        # An address Django's email validator accepts: the name folded to ASCII (ı has no
        # decomposition, so it is mapped by hand).
        local = slugify(defaults["first_names"].replace("ı", "i")) or "inburgeraar"
        defaults["email"] = f"{local}.{number}@voorbeeld.nl"
        person = Inburgeraar.objects.filter(bsn=bsn).first()
        if person is None:
            person = _register(caseworker, bsn=bsn, status=defaults.pop("status"), data=defaults)
            created += 1
        people.append(person)
    # A few households: partners among the gezinsmigranten.
    for left, right in zip(people[1::6], people[4::6], strict=False):
        HouseholdLink.objects.get_or_create(
            inburgeraar=left, relative=right, defaults={"relation": "partner"}
        )
        HouseholdLink.objects.get_or_create(
            inburgeraar=right, relative=left, defaults={"relation": "partner"}
        )
    return created


def _register(caseworker, *, bsn, status, data) -> Inburgeraar:
    """Through the case's write path (audit, timeline, deadlines), as a caseworker would; a case
    in the intake stage gets its planned intake."""
    person = case_services.register_inburgeraar(caseworker, bsn=bsn, **data)
    if status == CaseStatus.INTAKE:
        intake_services.plan_intake(caseworker, person)
    return person


def _status_for(age: timedelta, rng) -> str:
    """New demo cases are registered or have a planned intake; later stages come from real
    intakes and PIPs made through the services (deadlines.demo), so every status has its
    records."""
    return CaseStatus.AANGEMELD if age.days < 30 else CaseStatus.INTAKE
