"""factory_boy factories with Dutch fake data (Faker locale nl_NL).

The seven municipalities and WerkSaam exist through a data migration: factories look them up by
slug instead of creating new organisations.
"""

import random
from datetime import timedelta

import factory
from django.utils import timezone
from factory.django import DjangoModelFactory, Password

from accounts.models import User
from cases.models import CaseStatus, Doelgroep, Gender, HouseholdLink, Inburgeraar
from cases.signals import facts_changed
from common.bsn import generate_bsn
from deadlines.models import Deadline, Kind
from deadlines.models import State as DeadlineState
from intake.models import EducationLevel, Intake, IntakeState
from intake.rules import Route, advise_route
from municipalities.models import Membership, Organisation, Role
from pip_plans import rules as pip_rules
from pip_plans.models import LanguageSchool, Pip, PipStatus, PipVersion
from werksaam_bridge.models import Share
from werksaam_bridge.services import sync_werksaam_access

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
    # An adult on every date a test uses (they go back to 2026 and earlier): an 18-year-old today
    # was a minor on a dagtekening of last spring, and a minor's letters and beschikking need a
    # legal representative. A test of a minor says so (tests/test_minors.py, test_letters_minors).
    date_of_birth = dutch("date_of_birth", minimum_age=21, maximum_age=66)
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


def today():
    return timezone.localdate()


def _move_case_forward(case, status) -> None:
    """A factory-made row puts its case where the services would have: forward only, never back
    (a case already further along stays where it is)."""
    order = [
        CaseStatus.AANGEMELD,
        CaseStatus.INTAKE,
        CaseStatus.PIP,
        CaseStatus.UITVOERING,
        CaseStatus.AFGEROND,
    ]
    if case.status in order and order.index(case.status) < order.index(status):
        Inburgeraar.objects.filter(pk=case.pk).update(status=status)
        case.status = status


# --- the brede intake -----------------------------------------------------------------------------


class IntakeFactory(DjangoModelFactory):
    """A brede intake in a given state, written directly (no audit, no timeline).

    Tests of the intake's own workflow go through intake.services; the traits are for tests that
    only need an intake in a state:

    - ``planned`` (the default state), ``in_progress`` (started today);
    - ``legal_minimum``: every part of the legal minimum filled and the advised route chosen, so
      ``intake.services.complete_intake`` accepts it;
    - ``completed``: ``legal_minimum`` and afgerond today (no PIP draft: complete an
      ``in_progress, legal_minimum`` intake through the services to get the real draft).

    The case's status follows (intake, or pip when completed) and its deadlines are recomputed.
    """

    class Meta:
        model = Intake
        skip_postgeneration_save = True

    class Params:
        planned = factory.Trait(state=IntakeState.GEPLAND)
        in_progress = factory.Trait(
            state=IntakeState.IN_UITVOERING, startdatum=factory.LazyFunction(today)
        )
        legal_minimum = factory.Trait(
            test_date=factory.LazyFunction(today),
            test_score=30,
            highest_education=EducationLevel.BASIS,
            education_work_notes="Zes jaar school in Aleppo.",
            personal_circumstances="Woont met partner en twee kinderen.",
            physical_health="Geen bijzonderheden.",
            mental_health="Geen bijzonderheden.",
            chosen_route=factory.LazyAttribute(
                lambda o: (
                    advise_route(
                        test_score=o.test_score,
                        test_date=o.test_date,
                        test_exempt=bool(o.test_exemption),
                        date_of_birth=o.inburgeraar.date_of_birth,
                        highest_education=o.highest_education,
                        on=today(),
                    ).route
                    or Route.B1
                )
            ),
        )
        completed = factory.Trait(
            legal_minimum=True,
            state=IntakeState.AFGEROND,
            startdatum=factory.LazyFunction(today),
            einddatum=factory.LazyFunction(today),
        )

    inburgeraar = factory.SubFactory(InburgeraarFactory)
    state = IntakeState.GEPLAND
    test_exemption = ""

    @factory.post_generation
    def case_follows(obj, create, extracted, **kwargs):
        if not create:
            return
        status = CaseStatus.PIP if obj.state == IntakeState.AFGEROND else CaseStatus.INTAKE
        _move_case_forward(obj.inburgeraar, status)
        facts_changed(obj.inburgeraar)


# --- the PIP ----------------------------------------------------------------------------------------


class LanguageSchoolFactory(DjangoModelFactory):
    class Meta:
        model = LanguageSchool
        django_get_or_create = ("name",)

    name = "Taalschool A"
    certified = True


class PipFactory(DjangoModelFactory):
    class Meta:
        model = Pip

    inburgeraar = factory.SubFactory(InburgeraarFactory)


class PipVersionFactory(DjangoModelFactory):
    """A PIP version, filled the way ``open_draft_from_intake`` fills a draft (default levels for
    the route, MAP and PVT hours, a certified language school).

    Traits: ``concept`` (the default), ``submitted`` (ter vaststelling by its author) and
    ``adopted``: one consistent vastgesteld row in a single insert (adopted versions never
    change): dagtekening (default today), bezwaar and course-start deadlines from
    ``pip_plans.rules``, adopted by a second user; the PIP gets its first dagtekening and termijn
    if it had none, the case moves to uitvoering and its deadlines are recomputed. Tests of the
    adoption itself (four eyes, webhooks, PDFs) use ``pip_plans.services.adopt``.
    """

    class Meta:
        model = PipVersion
        skip_postgeneration_save = True

    class Params:
        concept = factory.Trait(status=PipStatus.CONCEPT)
        submitted = factory.Trait(
            status=PipStatus.TER_VASTSTELLING,
            submitted_by=factory.SelfAttribute("author"),
            submitted_at=factory.LazyFunction(timezone.now),
        )
        adopted = factory.Trait(
            status=PipStatus.VASTGESTELD,
            submitted_by=factory.SelfAttribute("author"),
            submitted_at=factory.LazyFunction(timezone.now),
            adopted_by=factory.SubFactory(UserFactory),
            adopted_at=factory.LazyFunction(timezone.now),
            dagtekening=factory.LazyFunction(today),
            bezwaar_deadline=factory.LazyAttribute(
                lambda o: pip_rules.bezwaar_deadline(o.dagtekening)
            ),
            course_start_deadline=factory.LazyAttribute(
                lambda o: pip_rules.course_start_deadline(o.dagtekening, o.route)
            ),
        )

    pip = factory.SubFactory(PipFactory)
    number = 1
    status = PipStatus.CONCEPT
    route = Route.B1
    advised_route = factory.SelfAttribute("route")
    level_lezen = factory.LazyAttribute(lambda o: pip_rules.default_levels(o.route)["level_lezen"])
    level_luisteren = factory.LazyAttribute(
        lambda o: pip_rules.default_levels(o.route)["level_luisteren"]
    )
    level_schrijven = factory.LazyAttribute(
        lambda o: pip_rules.default_levels(o.route)["level_schrijven"]
    )
    level_spreken = factory.LazyAttribute(
        lambda o: pip_rules.default_levels(o.route)["level_spreken"]
    )
    map_hours = factory.LazyAttribute(
        lambda o: None if o.route == Route.ONDERWIJS else pip_rules.MAP_MIN_HOURS
    )
    pvt_hours = pip_rules.PVT_MIN_HOURS
    language_school = factory.SubFactory(LanguageSchoolFactory)
    author = factory.SubFactory(UserFactory)
    updated_by = factory.SelfAttribute("author")

    @factory.post_generation
    def pip_follows(obj, create, extracted, **kwargs):
        if not create or obj.status != PipStatus.VASTGESTELD:
            return
        pip = obj.pip
        if pip.dagtekening_initiele_pip is None:
            pip.dagtekening_initiele_pip = obj.dagtekening
            pip.termijn_start, pip.termijn_end = pip_rules.termijn(obj.dagtekening)
            pip.save(update_fields=["dagtekening_initiele_pip", "termijn_start", "termijn_end"])
        _move_case_forward(pip.inburgeraar, CaseStatus.UITVOERING)
        facts_changed(pip.inburgeraar)


# --- WerkSaam ---------------------------------------------------------------------------------------


class ShareFactory(DjangoModelFactory):
    """A share with WerkSaam, written directly; WerkSaam's grant follows it as the services do
    (``sync_werksaam_access``). Traits: ``benefit`` (the default basis), ``consent`` (with its
    date and scope), ``ended`` (ended yesterday by its creator: no grant)."""

    class Meta:
        model = Share
        skip_postgeneration_save = True

    class Params:
        benefit = factory.Trait(basis=Share.Basis.BENEFIT)
        consent = factory.Trait(
            basis=Share.Basis.CONSENT,
            consent_date=factory.SelfAttribute("start_date"),
            consent_scope="Re-integratie en ontzorgen",
        )
        ended = factory.Trait(
            ended_at=factory.LazyFunction(lambda: timezone.now() - timedelta(days=1)),
            ended_by=factory.SelfAttribute("created_by"),
            end_reason="Uitkering beëindigd",
        )

    inburgeraar = factory.SubFactory(InburgeraarFactory)
    basis = Share.Basis.BENEFIT
    start_date = factory.LazyFunction(lambda: today() - timedelta(days=30))
    created_by = factory.SubFactory(UserFactory)

    @factory.post_generation
    def grant_follows(obj, create, extracted, **kwargs):
        if create:
            sync_werksaam_access(obj.inburgeraar)


# --- deadlines --------------------------------------------------------------------------------------


class DeadlineFactory(DjangoModelFactory):
    """A deadline row of a case (kind PIP vaststellen unless given), open and due in four weeks.

    Traits: ``overdue`` (due five days ago, marked verstreken), ``due_this_week`` (due today, a
    reminder due today), ``done`` (afgehandeld yesterday, nothing left to remind).
    """

    class Meta:
        model = Deadline

    class Params:
        overdue = factory.Trait(
            due_date=factory.LazyFunction(lambda: today() - timedelta(days=5)),
            state=DeadlineState.OVERDUE,
            next_reminder_on=factory.LazyFunction(today),
        )
        due_this_week = factory.Trait(
            due_date=factory.LazyFunction(today),
            state=DeadlineState.OPEN,
            next_reminder_on=factory.LazyFunction(today),
        )
        done = factory.Trait(
            state=DeadlineState.DONE,
            done_on=factory.LazyFunction(lambda: today() - timedelta(days=1)),
            next_reminder_on=None,
        )

    inburgeraar = factory.SubFactory(InburgeraarFactory)
    municipality = factory.LazyAttribute(
        lambda o: o.inburgeraar.municipality if o.inburgeraar else organisation("hoorn")
    )
    kind = Kind.PIP_DUE
    key = ""
    due_date = factory.LazyFunction(lambda: today() + timedelta(weeks=4))
    state = DeadlineState.OPEN
    next_reminder_on = factory.LazyAttribute(lambda o: o.due_date - timedelta(days=30))
