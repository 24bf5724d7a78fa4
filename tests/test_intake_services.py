from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.http import Http404
from django.utils import timezone

from audit.models import AuditEntry
from cases.models import CaseStatus, TimelineEvent
from intake import services
from intake.models import Education, Intake, IntakeState, Invitation

from .factories import IntakeFactory
from .intake_helpers import miss


@pytest.fixture
def user(caseworker_of):
    return caseworker_of("hoorn")


@pytest.fixture
def case(case_in):
    return case_in("hoorn", date_of_birth=date(1985, 3, 3))


def future(days=7):
    return timezone.now() + timedelta(days=days)


def filled(case, **fields):
    """An intake in progress with the legal minimum filled (the factory's traits)."""
    return IntakeFactory(in_progress=True, legal_minimum=True, inburgeraar=case, **fields)


def test_plan_begin_complete(user, case):
    intake = services.begin_intake(user, services.plan_intake(user, case))
    intake = services.save_intake_fields(
        user,
        intake,
        expected_version=intake.version,
        values={
            "test_date": date(2026, 10, 1),
            "test_score": 30,
            "highest_education": "basis",
            "education_work_notes": "Zes jaar school in Aleppo.",
            "personal_circumstances": "Woont met partner en twee kinderen.",
            "physical_health": "Geen bijzonderheden.",
            "mental_health": "Geen bijzonderheden.",
            "chosen_route": "B1",
        },
    )
    services.add_intake_item(
        user, intake, Education, name="Basisschool", country="Syrië", years=6, diploma=True
    )
    intake = Intake.objects.get(pk=intake.pk)
    assert services.missing_legal_minimum(intake) == []
    assert intake.state == IntakeState.IN_UITVOERING
    assert intake.startdatum == timezone.localdate()
    intake = services.complete_intake(user, intake, expected_version=intake.version)
    assert intake.state == IntakeState.AFGEROND
    assert intake.einddatum == timezone.localdate()
    case.refresh_from_db()
    assert case.status == CaseStatus.PIP
    assert TimelineEvent.objects.filter(inburgeraar=case, text__contains="afgerond").exists()


def test_complete_refuses_while_legal_minimum_is_empty(user, case):
    intake = services.begin_intake(user, services.plan_intake(user, case))
    intake = services.save_intake_fields(
        user, intake, expected_version=intake.version, values={"chosen_route": "B1"}
    )
    with pytest.raises(ValidationError) as error:
        services.complete_intake(user, intake, expected_version=intake.version)
    text = " ".join(error.value.messages)
    assert "Leerbaarheidstoets" in text
    assert "Opleiding en werkervaring" in text
    assert "gezondheid" in text
    assert Intake.objects.get(pk=intake.pk).state == IntakeState.IN_UITVOERING


def test_each_legal_minimum_part_is_required(user, case):
    intake = filled(case)
    assert services.missing_legal_minimum(intake) == []
    intake = services.save_intake_fields(
        user, intake, expected_version=intake.version, values={"mental_health": ""}
    )
    assert len(services.missing_legal_minimum(intake)) == 1


def test_test_exemption_replaces_the_score(user, case):
    intake = filled(case)
    intake = services.save_intake_fields(
        user,
        intake,
        expected_version=intake.version,
        values={"test_score": None, "test_date": None, "test_exemption": "visueel"},
    )
    assert services.missing_legal_minimum(intake) == []


def test_deviating_from_advice_needs_a_reason(user, case):
    intake = filled(case, chosen_route="Z", test_score=35)  # advice: B1
    with pytest.raises(ValidationError) as error:
        services.complete_intake(user, intake, expected_version=intake.version)
    assert "reden" in " ".join(error.value.messages)
    intake = services.save_intake_fields(
        user,
        intake,
        expected_version=intake.version,
        values={"route_deviation_reason": "Analfabeet in eigen taal."},
    )
    services.complete_intake(user, intake, expected_version=intake.version)


def test_concurrent_edit_is_refused_naming_who_and_when(user, case, caseworker_of):
    colleague = caseworker_of("hoorn", first_name="Piet", last_name="Jansen")
    intake = services.begin_intake(user, services.plan_intake(user, case))
    opened_version = intake.version
    services.save_intake_fields(
        colleague,
        intake,
        expected_version=opened_version,
        values={"motivation": "Wil werken in de zorg."},
    )
    with pytest.raises(services.ConcurrentEditError) as error:
        services.save_intake_fields(
            user, intake, expected_version=opened_version, values={"motivation": "Iets anders"}
        )
    assert "Piet Jansen" in str(error.value)
    assert Intake.objects.get(pk=intake.pk).motivation == "Wil werken in de zorg."


def test_closed_intake_cannot_change(user, case):
    intake = filled(case)
    intake = services.complete_intake(user, intake, expected_version=intake.version)
    with pytest.raises(ValidationError):
        services.save_intake_fields(
            user, intake, expected_version=intake.version, values={"motivation": "x"}
        )


def test_other_municipality_cannot_write(user, case, caseworker_of):
    intake = services.plan_intake(user, case)
    outsider = caseworker_of("enkhuizen")
    with pytest.raises(Http404):
        services.begin_intake(outsider, intake)
    with pytest.raises(Http404):
        services.plan_intake(outsider, case)


def test_only_one_open_intake(user, case):
    services.plan_intake(user, case)
    with pytest.raises(ValidationError):
        services.plan_intake(user, case)


def test_cancel_needs_reason_and_allows_a_new_intake(user, case):
    intake = services.plan_intake(user, case)
    with pytest.raises(ValidationError):
        services.cancel_intake(user, intake, reason=" ")
    services.cancel_intake(user, intake, reason="Verhuisd naar buiten de regio")
    assert services.plan_intake(user, case).state == IntakeState.GEPLAND


def test_health_values_never_reach_the_audit_trail(user, case):
    intake = filled(case)
    services.save_intake_fields(
        user,
        intake,
        expected_version=intake.version,
        values={"mental_health": "Trauma, in behandeling"},
    )
    entries = AuditEntry.objects.filter(object_type="intake.intake")
    assert entries.exists()
    for entry in entries:
        assert "Trauma" not in str(entry.changes)


# --- the enforcement ladder ---------------------------------------------------------------------


def invite(user, intake):
    """An invitation whose conversation took place yesterday, so its outcome can be recorded."""
    return services.invite(
        user,
        intake,
        conversation_at=timezone.now() - timedelta(days=1),
        response_date=timezone.localdate() - timedelta(days=3),
    )


def test_outcome_cannot_be_recorded_before_the_conversation(user, case):
    intake = services.plan_intake(user, case)
    invitation = services.invite(
        user,
        intake,
        conversation_at=future(3),
        response_date=timezone.localdate() + timedelta(days=1),
    )
    with pytest.raises(ValidationError) as error:
        miss(user, invitation)
    assert "nadat het gesprek" in " ".join(error.value.messages)
    invitation.refresh_from_db()
    assert invitation.outcome == Invitation.Outcome.OPEN and invitation.measure == ""


def test_ladder_warning_fine_second_fine(user, case):
    intake = services.plan_intake(user, case)
    first = miss(user, invite(user, intake))
    assert first.measure == Invitation.Measure.WARNING
    second = miss(user, invite(user, intake))
    assert second.measure == Invitation.Measure.FINE
    assert "250" in second.get_measure_display()
    third = miss(user, invite(user, intake))
    assert third.measure == Invitation.Measure.SECOND_FINE
    intake.refresh_from_db()
    assert intake.pip_without_input is True
    texts = list(TimelineEvent.objects.filter(inburgeraar=case).values_list("text", flat=True))
    assert any("waarschuwing" in t for t in texts)
    assert any("Boete" in t and "voornemen" in t for t in texts)


def test_attending_starts_the_intake(user, case):
    intake = services.plan_intake(user, case)
    invitation = invite(user, intake)
    services.record_attendance(user, invitation, attended=True)
    intake.refresh_from_db()
    assert intake.state == IntakeState.IN_UITVOERING
    assert intake.startdatum == timezone.localtime(invitation.conversation_at).date()


def test_one_open_invitation_at_a_time_and_outcome_recorded_once(user, case):
    intake = services.plan_intake(user, case)
    invitation = invite(user, intake)
    with pytest.raises(ValidationError):
        invite(user, intake)
    services.record_attendance(user, invitation, attended=True)
    with pytest.raises(ValidationError):
        miss(user, invitation)


def test_response_date_after_conversation_is_refused(user, case):
    intake = services.plan_intake(user, case)
    with pytest.raises(ValidationError):
        services.invite(
            user,
            intake,
            conversation_at=future(2),
            response_date=timezone.localdate() + timedelta(days=10),
        )
