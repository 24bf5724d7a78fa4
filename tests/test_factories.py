"""The factories' traits make rows the services would accept as their own."""

import pytest
from django.utils import timezone

from cases.models import CaseStatus, Inburgeraar
from deadlines import selectors as deadline_selectors
from deadlines.models import Deadline, Kind
from intake import services as intake_services
from intake.models import IntakeState
from municipalities.models import Role
from pip_plans import services as pip_services
from pip_plans.models import AdoptedPipIsImmutable, PipStatus, PipVersion
from werksaam_bridge.models import Share

from .factories import DeadlineFactory, IntakeFactory, PipVersionFactory, ShareFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def caseworker(caseworker_of):
    return caseworker_of("hoorn")


def test_intake_traits(case_in):
    planned = IntakeFactory(inburgeraar=case_in("hoorn"))
    assert planned.state == IntakeState.GEPLAND and planned.inburgeraar.status == CaseStatus.INTAKE
    assert intake_services.missing_legal_minimum(planned) != []
    started = IntakeFactory(in_progress=True, inburgeraar=case_in("hoorn"))
    assert started.state == IntakeState.IN_UITVOERING
    assert started.startdatum == timezone.localdate()
    done = IntakeFactory(completed=True, inburgeraar=case_in("hoorn"))
    assert done.state == IntakeState.AFGEROND and done.einddatum == timezone.localdate()
    assert intake_services.missing_legal_minimum(done) == []
    assert intake_services.route_advice(done).route == done.chosen_route
    assert Inburgeraar.objects.get(pk=done.inburgeraar_id).status == CaseStatus.PIP


def test_an_intake_with_the_legal_minimum_completes_through_the_services(caseworker, case_in):
    case = case_in("hoorn", caseworker=caseworker)
    intake = IntakeFactory(in_progress=True, legal_minimum=True, inburgeraar=case)
    intake = intake_services.complete_intake(caseworker, intake, expected_version=intake.version)
    assert intake.state == IntakeState.AFGEROND
    assert PipVersion.objects.get(pip__inburgeraar=case).status == PipStatus.CONCEPT


def test_pip_version_traits_pass_the_rules_and_the_four_eyes(caseworker, member_of, case_in):
    lead = member_of("hoorn", Role.TEAMLEIDER)
    draft = PipVersionFactory(pip__inburgeraar=case_in("hoorn"), author=caseworker)
    assert draft.status == PipStatus.CONCEPT
    submitted = pip_services.submit(caseworker, draft)  # every rule satisfied
    assert pip_services.adopt(lead, submitted).status == PipStatus.VASTGESTELD
    ready = PipVersionFactory(submitted=True, pip__inburgeraar=case_in("hoorn"), author=caseworker)
    assert ready.submitted_by == caseworker
    assert pip_services.adopt(lead, ready).status == PipStatus.VASTGESTELD


def test_an_adopted_version_is_consistent_and_frozen(case_in):
    version = PipVersionFactory(adopted=True, pip__inburgeraar=case_in("hoorn"))
    pip = version.pip
    pip.refresh_from_db()
    assert pip.dagtekening_initiele_pip == version.dagtekening == timezone.localdate()
    assert pip.termijn_start and pip.termijn_end
    assert version.bezwaar_deadline > version.dagtekening
    assert version.adopted_by not in (None, version.author)
    assert Inburgeraar.objects.get(pk=pip.inburgeraar_id).status == CaseStatus.UITVOERING
    assert Deadline.objects.filter(inburgeraar=pip.inburgeraar, kind=Kind.TERMIJN_END).exists()
    with pytest.raises(AdoptedPipIsImmutable):
        version.save()
    second = PipVersionFactory(adopted=True, pip=pip, number=2, route="Z")
    pip.refresh_from_db()
    assert pip.dagtekening_initiele_pip == version.dagtekening  # the first adoption's date stays
    assert second.level_lezen == "A1"


def test_share_traits_and_the_grant(member_of, case_in):
    ws_user = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    benefit = ShareFactory(inburgeraar=case_in("hoorn"))
    consent = ShareFactory(consent=True, inburgeraar=case_in("hoorn"))
    ended = ShareFactory(ended=True, inburgeraar=case_in("hoorn"))
    for share in (benefit, consent, ended):
        share.full_clean()
    assert consent.basis == Share.Basis.CONSENT and consent.consent_date and consent.consent_scope
    assert benefit.is_active() and consent.is_active() and not ended.is_active()
    visible = set(Inburgeraar.objects.visible_to(ws_user).values_list("pk", flat=True))
    assert visible == {benefit.inburgeraar_id, consent.inburgeraar_id}


def test_deadline_traits_land_in_the_agenda_sections(caseworker, case_in):
    case = case_in("hoorn", caseworker=caseworker)
    Deadline.objects.filter(inburgeraar=case).delete()
    overdue = DeadlineFactory(overdue=True, inburgeraar=case, kind=Kind.PIP_DUE)
    this_week = DeadlineFactory(due_this_week=True, inburgeraar=case, kind=Kind.BEZWAAR)
    later = DeadlineFactory(inburgeraar=case, kind=Kind.COURSE_START)
    DeadlineFactory(done=True, inburgeraar=case, kind=Kind.TERMIJN_END)
    agenda = deadline_selectors.agenda(caseworker)
    assert agenda.overdue == [overdue]
    assert agenda.this_week == [this_week]
    assert agenda.next_weeks == [later]
