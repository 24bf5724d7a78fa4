"""factory_boy factories with Dutch fake data (Faker locale nl_NL).

The seven municipalities and WerkSaam exist through a data migration: factories look them up by
slug instead of creating new organisations.
"""

import random

import factory
from factory.django import DjangoModelFactory, Password

from accounts.models import User
from cases.models import CaseStatus, Doelgroep, Gender, HouseholdLink, Inburgeraar
from common.bsn import generate_bsn
from municipalities.models import Membership, Organisation, Role

LOCALE = "nl_NL"
TEST_PASSWORD = "geheim-wachtwoord-voor-tests"
MUNICIPALITY_SLUGS = (
    "drechterland",
    "enkhuizen",
    "hoorn",
    "koggenland",
    "medemblik",
    "opmeer",
    "stedebroec",
)
ORGANISATION_SLUGS = (*MUNICIPALITY_SLUGS, "werksaam")


def dutch(provider, **kwargs):
    return factory.Faker(provider, locale=LOCALE, **kwargs)


def organisation(slug: str) -> Organisation:
    return Organisation.objects.get(slug=slug)


class BsnSource:
    """Valid, unique BSNs from a seeded random generator (never a real person's on purpose)."""

    def __init__(self, seed: int = 2021):
        self.rng = random.Random(seed)
        self.issued: set[str] = set()

    def __call__(self) -> str:
        while True:
            bsn = generate_bsn(self.rng)
            if bsn not in self.issued:
                self.issued.add(bsn)
                return bsn


new_bsn = BsnSource()


class UserFactory(DjangoModelFactory):
    class Meta:
        model = User
        skip_postgeneration_save = True

    username = factory.Sequence(lambda n: f"medewerker{n}")
    first_name = dutch("first_name")
    last_name = dutch("last_name")
    email = factory.LazyAttribute(lambda u: f"{u.username}@westfriesland.example")
    password = Password(TEST_PASSWORD)
    is_active = True


class MembershipFactory(DjangoModelFactory):
    """A bare membership row. For staff roles use municipalities.services.add_membership, which
    also sets staff status and the admin groups."""

    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    organisation = factory.LazyFunction(lambda: organisation("hoorn"))
    role = Role.KLANTMANAGER
    is_active = True


class InburgeraarFactory(DjangoModelFactory):
    class Meta:
        model = Inburgeraar

    bsn = factory.LazyFunction(new_bsn)
    v_nummer = factory.Sequence(lambda n: f"{3000000000 + n}")
    first_names = dutch("first_name")
    surname = dutch("last_name")
    date_of_birth = dutch("date_of_birth", minimum_age=18, maximum_age=66)
    gender = factory.Iterator([Gender.MAN, Gender.VROUW])
    nationality = factory.Iterator(["Syrisch", "Eritrees", "Turks", "Oekraïens", "Afghaans"])
    languages = factory.Iterator(["Arabisch", "Tigrinya", "Turks", "Oekraïens", "Dari"])
    phone = factory.Sequence(lambda n: f"06{10000000 + n}")
    email = dutch("email")
    street = dutch("street_name")
    house_number = dutch("building_number")
    postal_code = dutch("postcode")
    city = dutch("city")
    doelgroep = factory.Iterator(Doelgroep.values)
    municipality = factory.LazyFunction(lambda: organisation("hoorn"))
    status = CaseStatus.AANGEMELD
    datum_kennisgeving = dutch("date_between", start_date="-300d", end_date="today")


class HouseholdLinkFactory(DjangoModelFactory):
    class Meta:
        model = HouseholdLink

    inburgeraar = factory.SubFactory(InburgeraarFactory)
    relative = factory.SubFactory(
        InburgeraarFactory, municipality=factory.SelfAttribute("..inburgeraar.municipality")
    )
    relation = HouseholdLink.Relation.PARTNER
