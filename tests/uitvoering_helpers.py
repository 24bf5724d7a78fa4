"""Helpers for the uitvoering tests: an adopted PIP with known dates, a language school with a
user, an enrolment."""

from datetime import date

from django.contrib.auth.models import Group

from municipalities.models import Organisation, Role
from municipalities.services import add_membership
from pip_plans import services as pip_services
from uitvoering import services

from .factories import UserFactory
from .pip_helpers import draft_for

# First PIP dated Wednesday 10 June 2026: the termijn runs from 11-06-2026 t/m 10-06-2029, the
# course starts at the latest on 10-09-2026 (3 months), the bezwaar window ends 22-07-2026.
DAGTEKENING = date(2026, 6, 10)


def adopted_case(author, lead, case, *, route="B1", dagtekening=DAGTEKENING):
    version = draft_for(author, case, route=route)
    version = pip_services.submit(author, version)
    return pip_services.adopt(lead, version, dagtekening=dagtekening)


def language_school(slug="taalhuis", name="Taalhuis Westfriesland"):
    group, _ = Group.objects.get_or_create(name=f"Organisatie: {name}")
    school, _ = Organisation.objects.get_or_create(
        slug=slug, defaults={"name": name, "kind": Organisation.Kind.AANBIEDER, "group": group}
    )
    return school


def school_user(school, **kwargs):
    user = UserFactory(**kwargs)
    add_membership(actor=None, user=user, organisation=school, role=Role.TAALSCHOOL)
    return user


def enrolment(author, case, school, **values):
    values.setdefault("aanmelding_date", date(2026, 6, 20))
    values.setdefault("contract_id", f"C-{case.pk}")
    return services.enrol(author, case, school=school, values=values)
