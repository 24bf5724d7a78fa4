"""Issue 10 point 7: no fine in one click. Before any measure for a missed invitation the
assessment (geldige reden, verwijtbaarheid under Awb 5:41, each with a reason) is recorded; a
confirmation step names the consequence; a fine is a voornemen until the boetebeschikking; a
measure recorded by mistake is withdrawn with a reason; after the third blameworthy miss the
screen says the PIP is to be set without the person's input."""

from datetime import date, timedelta

import pytest
from django.core.exceptions import ValidationError
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from cases.models import TimelineEvent
from intake import rules, services
from intake.models import Invitation

from .intake_helpers import BLAMEWORTHY, miss

pytestmark = pytest.mark.django_db

EXCUSED = {
    "geldige_reden": True,
    "geldige_reden_toelichting": "Opgenomen in het ziekenhuis; brief van de arts gezien.",
    "verwijtbaar": False,
    "verwijtbaar_toelichting": "Met een geldige reden niet verwijtbaar.",
}
NOT_BLAMEWORTHY = {
    "geldige_reden": False,
    "geldige_reden_toelichting": "Geen afmelding.",
    "verwijtbaar": False,
    "verwijtbaar_toelichting": "De uitnodiging ging naar het oude adres (BRP liep achter).",
}


@pytest.fixture
def user(caseworker_of):
    return caseworker_of("hoorn")


@pytest.fixture
def case(case_in, user):
    return case_in("hoorn", date_of_birth=date(1985, 3, 3), caseworker=user)


@pytest.fixture
def intake(user, case):
    return services.plan_intake(user, case)


def invite(user, intake):
    """An invitation whose conversation took place yesterday."""
    return services.invite(
        user,
        intake,
        conversation_at=timezone.now() - timedelta(days=1),
        response_date=timezone.localdate() - timedelta(days=3),
    )


# --- the rule --------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("step", "geldige_reden", "verwijtbaar", "measure", "pip_without_input"),
    [
        (1, False, True, "waarschuwing", False),
        (2, False, True, "boete", False),
        (3, False, True, "tweede_boete", True),
        (4, False, True, "tweede_boete", True),
        (2, True, False, "", False),  # geldige reden: no measure
        (3, False, False, "", False),  # not blameworthy (Awb 5:41): no measure
    ],
)
def test_the_consequence_of_a_miss(step, geldige_reden, verwijtbaar, measure, pip_without_input):
    consequence = rules.missed_consequence(
        step, geldige_reden=geldige_reden, verwijtbaar=verwijtbaar
    )
    assert (consequence.measure, consequence.pip_without_input) == (measure, pip_without_input)
    if measure in ("boete", "tweede_boete"):
        assert "Voornemen" in consequence.text and "€ 250" in consequence.text
    if measure == "":
        assert consequence.text.startswith("Geen maatregel")


# --- the service -------------------------------------------------------------------------------------


def test_one_click_records_no_miss(user, intake):
    invitation = invite(user, intake)
    with pytest.raises(ValidationError, match="geldige reden"):
        services.record_attendance(user, invitation, attended=False)
    invitation.refresh_from_db()
    assert invitation.outcome == Invitation.Outcome.OPEN and invitation.measure == ""


@pytest.mark.parametrize(
    "missing",
    ["geldige_reden", "geldige_reden_toelichting", "verwijtbaar", "verwijtbaar_toelichting"],
)
def test_the_assessment_and_its_reasons_are_required(user, intake, missing):
    invitation = invite(user, intake)
    values = {**BLAMEWORTHY, missing: None if missing in ("geldige_reden", "verwijtbaar") else " "}
    with pytest.raises(ValidationError) as error:
        services.record_missed(user, invitation, confirmed_measure="waarschuwing", **values)
    assert missing in error.value.message_dict
    invitation.refresh_from_db()
    assert invitation.outcome == Invitation.Outcome.OPEN and invitation.assessed_at is None


def test_a_geldige_reden_cannot_be_blameworthy(user, intake):
    invitation = invite(user, intake)
    with pytest.raises(ValidationError) as error:
        services.record_missed(
            user,
            invitation,
            confirmed_measure="",
            **{**EXCUSED, "verwijtbaar": True},
        )
    assert "verwijtbaar" in error.value.message_dict


def test_nothing_is_recorded_unless_the_named_consequence_is_confirmed(user, intake):
    invitation = invite(user, intake)
    with pytest.raises(ValidationError, match="Schriftelijke waarschuwing"):
        services.record_missed(user, invitation, confirmed_measure="", **BLAMEWORTHY)
    invitation.refresh_from_db()
    assert invitation.outcome == Invitation.Outcome.OPEN


def test_no_measure_with_a_geldige_reden_or_without_blame_and_they_do_not_count(user, case, intake):
    excused = miss(user, invite(user, intake), **EXCUSED)
    assert (excused.outcome, excused.measure) == (Invitation.Outcome.MISSED, "")
    assert excused.geldige_reden is True and "ziekenhuis" in excused.geldige_reden_toelichting
    blameless = miss(user, invite(user, intake), **NOT_BLAMEWORTHY)
    assert blameless.measure == "" and blameless.verwijtbaar is False
    # The first blameworthy miss is the ladder's first step: a warning, not a fine.
    first = miss(user, invite(user, intake))
    assert first.measure == Invitation.Measure.WARNING
    texts = list(TimelineEvent.objects.filter(inburgeraar=case).values_list("text", flat=True))
    assert any("geen maatregel (geldige reden)" in t for t in texts)
    assert any("geen maatregel (niet verwijtbaar)" in t for t in texts)
    entry = AuditEntry.objects.filter(
        object_type="intake.invitation", object_id=str(blameless.pk)
    ).first()
    assert entry.changes and "oude adres" in entry.reason


def test_a_fine_is_a_voornemen_until_the_decision(user, intake):
    miss(user, invite(user, intake))
    second = miss(user, invite(user, intake))
    assert second.measure == Invitation.Measure.FINE
    assert second.fine_is_voornemen and second.fine_decided_on is None
    assert second.measure_label == "Boete van € 250 en derde uitnodiging — voornemen"


def test_a_measure_recorded_by_mistake_is_withdrawn_with_a_reason(user, case, intake):
    first = miss(user, invite(user, intake))
    with pytest.raises(ValidationError) as error:
        services.withdraw_measure(user, first, reason="  ")
    assert "reason" in error.value.message_dict
    services.withdraw_measure(user, first, reason="Afmelding lag in de postbak, niet gezien.")
    first.refresh_from_db()
    assert first.measure == Invitation.Measure.WARNING and first.active_measure == ""
    assert first.measure_label.endswith("ingetrokken")
    assert first.measure_withdrawn_by == user
    entry = AuditEntry.objects.filter(
        object_type="intake.invitation", object_id=str(first.pk), reason__contains="postbak"
    ).get()
    assert "measure_withdrawn" in str(entry.changes)
    assert TimelineEvent.objects.filter(
        inburgeraar=case, text__contains="Maatregel ingetrokken bij uitnodiging 1"
    ).exists()
    with pytest.raises(ValidationError, match="geen maatregel"):
        services.withdraw_measure(user, first, reason="nogmaals")
    # The withdrawn warning does not count: the next blameworthy miss is a warning again.
    assert miss(user, invite(user, intake)).measure == Invitation.Measure.WARNING


def test_third_miss_and_its_withdrawal_set_and_clear_pip_without_input(user, intake):
    for _n in range(2):
        miss(user, invite(user, intake))
    third = miss(user, invite(user, intake))
    assert third.measure == Invitation.Measure.SECOND_FINE
    intake.refresh_from_db()
    assert intake.pip_without_input is True
    services.withdraw_measure(user, third, reason="Wel verschenen; verkeerde rij aangeklikt.")
    intake.refresh_from_db()
    assert intake.pip_without_input is False


# --- the screens -------------------------------------------------------------------------------------


def test_niet_verschenen_asks_the_assessment_then_names_the_consequence(client, user, case, intake):
    invitation = invite(user, intake)
    client.force_login(user)
    response = client.post(
        reverse("intake-attendance", args=[case.pk, invitation.pk]), {"attended": "nee"}
    )
    url = reverse("intake-missed", args=[case.pk, invitation.pk])
    assert response.status_code == 302 and response.url == url
    invitation.refresh_from_db()
    assert invitation.outcome == Invitation.Outcome.OPEN  # the click recorded nothing
    page = client.get(url).content.decode()
    assert "geldige reden" in page and "5:41" in page
    # Incomplete: a clear error, nothing saved.
    response = client.post(url, {"geldige_reden": "nee"})
    assert response.status_code == 422
    assert "Controleer de volgende punten" in response.content.decode()
    form = {
        "geldige_reden": "nee",
        "geldige_reden_toelichting": BLAMEWORTHY["geldige_reden_toelichting"],
        "verwijtbaar": "ja",
        "verwijtbaar_toelichting": BLAMEWORTHY["verwijtbaar_toelichting"],
    }
    # Step two: the consequence is named, still nothing saved.
    page = client.post(url, {**form, "confirm": "0"}).content.decode()
    assert "Gevolg als u bevestigt" in page
    assert "Schriftelijke waarschuwing en een tweede uitnodiging." in page
    assert 'name="measure" value="waarschuwing"' in page
    invitation.refresh_from_db()
    assert invitation.outcome == Invitation.Outcome.OPEN
    # Confirmed: recorded.
    response = client.post(url, {**form, "confirm": "1", "measure": "waarschuwing"})
    assert response.status_code == 302
    invitation.refresh_from_db()
    assert invitation.outcome == Invitation.Outcome.MISSED
    assert invitation.measure == Invitation.Measure.WARNING
    assert invitation.assessed_by == user


def test_the_intake_tab_shows_voornemen_withdrawal_and_the_pip_to_be_set(
    client, user, case, intake
):
    client.force_login(user)
    first = miss(user, invite(user, intake))
    miss(user, invite(user, intake))
    tab = reverse("case-tab", kwargs={"pk": case.pk, "tab": "intake"})
    page = client.get(tab).content.decode()
    assert "Boete van € 250 en derde uitnodiging — voornemen" in page
    assert "Maatregel intrekken" in page
    response = client.post(
        reverse("intake-withdraw-measure", args=[case.pk, first.pk]),
        {"reason": "Dubbel geboekt"},
    )
    assert response.status_code == 302
    first.refresh_from_db()
    assert first.measure_withdrawn_at is not None
    page = client.get(tab).content.decode()
    assert "Ingetrokken" in page and "Dubbel geboekt" in page
    # Two more blameworthy misses: the third step of the ladder.
    miss(user, invite(user, intake))
    page = client.get(tab).content.decode()
    assert 'id="pip-without-input"' not in page  # the withdrawn warning does not count
    miss(user, invite(user, intake))
    page = client.get(tab).content.decode()
    assert "het PIP is vast te stellen zonder inbreng van de inburgeraar" in page
    assert "PIP zonder inbreng vastgesteld" not in page
