"""Cases that belong to someone: the team lead's unassigned cases on Vandaag, assigning one or many
from the case list, "aan mij toewijzen", reassignment, the API's PATCH and the caseload page."""

from datetime import timedelta

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse
from django.utils import timezone

from audit.models import AuditEntry
from cases import services
from cases.models import Inburgeraar, TimelineEvent
from deadlines.models import Deadline, Kind, State
from intake.models import Intake, IntakeState
from municipalities.models import Role

pytestmark = pytest.mark.django_db

API = "/api/v1/inburgeraars/"


@pytest.fixture
def lead(member_of):
    return member_of("hoorn", Role.TEAMLEIDER, first_name="Tineke", last_name="Leider")


@pytest.fixture
def klantmanager(caseworker_of):
    return caseworker_of("hoorn", first_name="Karim", last_name="Manager")


def main_of(response) -> str:
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


# --- Vandaag -------------------------------------------------------------------------------------


def test_team_lead_sees_the_unassigned_cases_of_the_municipality_on_vandaag(
    client, lead, klantmanager, case_in
):
    for n in range(12):
        case_in("hoorn", surname=f"Zonder{n:02d}", caseworker=None)
    case_in("hoorn", surname="Toegewezen", caseworker=klantmanager)
    case_in("enkhuizen", surname="Elders", caseworker=None)
    client.force_login(lead)
    main = main_of(client.get(reverse("home")))
    assert "Niet toegewezen" in main
    assert "(12)" in main
    assert "+2 meer" in main
    assert "?caseworker=geen" in main
    assert "Toegewezen" not in main.replace("Niet toegewezen", "")
    assert "Elders" not in main


def test_klantmanager_does_not_get_the_unassigned_section(client, klantmanager, case_in):
    case_in("hoorn", surname="Zonder", caseworker=None)
    client.force_login(klantmanager)
    assert "Zonder" not in main_of(client.get(reverse("home")))


# --- the service ---------------------------------------------------------------------------------


def test_klantmanager_takes_an_unassigned_case_but_assigns_nobody_else(
    klantmanager, caseworker_of, case_in
):
    colleague = caseworker_of("hoorn")
    case = case_in("hoorn", caseworker=None)
    with pytest.raises(PermissionDenied):
        services.assign_caseworker(klantmanager, case, colleague)
    services.assign_caseworker(klantmanager, case, klantmanager)
    case.refresh_from_db()
    assert case.caseworker == klantmanager
    # A case that is someone else's is the team lead's to move.
    with pytest.raises(PermissionDenied):
        services.assign_caseworker(colleague, case, colleague)


def test_team_lead_reassigns_with_audit_and_timeline(lead, klantmanager, caseworker_of, case_in):
    colleague = caseworker_of("hoorn")
    case = case_in("hoorn", caseworker=klantmanager)
    services.assign_caseworker(lead, case, colleague)
    case.refresh_from_db()
    assert case.caseworker == colleague
    entry = AuditEntry.objects.filter(object_id=str(case.pk), action="update").latest("id")
    assert entry.changes["caseworker"] == [klantmanager.pk, colleague.pk]
    assert TimelineEvent.objects.filter(inburgeraar=case, kind="toewijzing").exists()


# --- the pages -----------------------------------------------------------------------------------


def test_aan_mij_toewijzen_on_the_dossier(client, klantmanager, case_in):
    case = case_in("hoorn", caseworker=None)
    client.force_login(klantmanager)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "Aan mij toewijzen" in page
    response = client.post(reverse("case-assign", args=[case.pk]), {"caseworker": "mij"})
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.caseworker == klantmanager
    home = main_of(client.get(reverse("home")))
    assert case.full_name in home  # now in "Mijn inburgeraars"
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert "Aan mij toewijzen" not in page


def test_klantmanager_cannot_give_a_case_to_a_colleague(
    client, klantmanager, caseworker_of, case_in
):
    colleague = caseworker_of("hoorn")
    case = case_in("hoorn", caseworker=None)
    client.force_login(klantmanager)
    client.post(reverse("case-assign", args=[case.pk]), {"caseworker": colleague.pk})
    case.refresh_from_db()
    assert case.caseworker is None


def test_team_lead_reassigns_on_the_dossier(client, lead, klantmanager, caseworker_of, case_in):
    colleague = caseworker_of("hoorn")
    case = case_in("hoorn", caseworker=klantmanager)
    client.force_login(lead)
    page = client.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert 'id="id_assign_caseworker"' in page
    client.post(reverse("case-assign", args=[case.pk]), {"caseworker": colleague.pk})
    case.refresh_from_db()
    assert case.caseworker == colleague


@pytest.mark.parametrize("value", ["²", "٣", "1e309", "99999999999999999999"])
def test_a_caseworker_that_is_no_ascii_number_is_refused_not_a_server_error(
    client, lead, klantmanager, case_in, value
):
    """Found by the form fuzzer: "²".isdigit() is True, int("²") raised, the page answered 500."""
    case = case_in("hoorn", caseworker=klantmanager)
    client.force_login(lead)
    response = client.post(reverse("case-assign", args=[case.pk]), {"caseworker": value})
    assert response.status_code < 500
    case.refresh_from_db()
    assert case.caseworker == klantmanager


def test_assign_outside_scope_is_404(client, lead, case_in):
    other = case_in("enkhuizen", caseworker=None)
    client.force_login(lead)
    response = client.post(reverse("case-assign", args=[other.pk]), {"caseworker": "mij"})
    assert response.status_code == 404


def test_team_lead_assigns_many_from_the_case_list(client, lead, klantmanager, case_in):
    cases = [case_in("hoorn", caseworker=None) for _ in range(3)]
    client.force_login(lead)
    listing = client.get(reverse("case-list"), {"caseworker": "geen"}).content.decode()
    assert 'name="cases"' in listing and 'id="assign-to"' in listing
    response = client.post(
        reverse("case-assign-many"),
        {
            "cases": [c.pk for c in cases[:2]],
            "caseworker": klantmanager.pk,
            "next": "caseworker=geen",
        },
    )
    assert response.status_code == 302
    assert response.url == reverse("case-list") + "?caseworker=geen"
    assert Inburgeraar.objects.filter(caseworker=klantmanager).count() == 2
    cases[2].refresh_from_db()
    assert cases[2].caseworker is None


def test_assigning_many_is_all_or_nothing(client, lead, klantmanager, case_in):
    own = case_in("hoorn", caseworker=None)
    other = case_in("enkhuizen", caseworker=None)
    client.force_login(lead)
    response = client.post(
        reverse("case-assign-many"), {"cases": [own.pk, other.pk], "caseworker": klantmanager.pk}
    )
    assert response.status_code == 404
    own.refresh_from_db()
    assert own.caseworker is None


def test_klantmanager_gets_no_bulk_assignment(client, klantmanager, caseworker_of, case_in):
    colleague = caseworker_of("hoorn")
    case = case_in("hoorn", caseworker=None)
    client.force_login(klantmanager)
    listing = client.get(reverse("case-list")).content.decode()
    assert 'name="cases"' not in listing
    client.post(reverse("case-assign-many"), {"cases": [case.pk], "caseworker": colleague.pk})
    case.refresh_from_db()
    assert case.caseworker is None


# --- the API -------------------------------------------------------------------------------------


def test_api_patch_by_team_lead_assigns(api_client, lead, klantmanager, case_in):
    case = case_in("hoorn", caseworker=None)
    api_client.force_authenticate(lead)
    response = api_client.patch(
        f"{API}{case.pk}/", {"caseworker": klantmanager.username}, format="json"
    )
    assert response.status_code == 200, response.content
    assert response.json()["caseworker"] == klantmanager.username
    case.refresh_from_db()
    assert case.caseworker == klantmanager
    response = api_client.patch(f"{API}{case.pk}/", {"caseworker": None}, format="json")
    assert response.status_code == 200
    case.refresh_from_db()
    assert case.caseworker is None


def test_api_patch_only_by_team_leads_and_404_outside(
    api_client, lead, klantmanager, member_of, case_in
):
    case = case_in("hoorn", caseworker=None)
    api_client.force_authenticate(klantmanager)
    response = api_client.patch(
        f"{API}{case.pk}/", {"caseworker": klantmanager.username}, format="json"
    )
    assert response.status_code == 403
    other_lead = member_of("enkhuizen", Role.TEAMLEIDER)
    api_client.force_authenticate(other_lead)
    response = api_client.patch(
        f"{API}{case.pk}/", {"caseworker": other_lead.username}, format="json"
    )
    assert response.status_code == 404
    case.refresh_from_db()
    assert case.caseworker is None


def test_api_patch_refuses_someone_outside_the_municipality(
    api_client, lead, caseworker_of, case_in
):
    case = case_in("hoorn", caseworker=None)
    stranger = caseworker_of("enkhuizen")
    api_client.force_authenticate(lead)
    response = api_client.patch(
        f"{API}{case.pk}/", {"caseworker": stranger.username}, format="json"
    )
    assert response.status_code == 400
    assert "caseworker" in response.json()["errors"]


def test_api_does_not_put_or_delete(api_client, lead, case_in):
    case = case_in("hoorn")
    api_client.force_authenticate(lead)
    assert api_client.put(f"{API}{case.pk}/", {}, format="json").status_code == 405
    assert api_client.delete(f"{API}{case.pk}/").status_code == 405


# --- the caseload --------------------------------------------------------------------------------


def test_caseload_per_klantmanager(client, lead, klantmanager, caseworker_of, case_in):
    colleague = caseworker_of("hoorn", first_name="Anna", last_name="Collega")
    today = timezone.localdate()
    mine = [case_in("hoorn", caseworker=klantmanager) for _ in range(3)]
    case_in("hoorn", caseworker=klantmanager, status="afgerond")
    case_in("hoorn", caseworker=colleague)
    case_in("hoorn", caseworker=None)
    case_in("enkhuizen", caseworker=None)
    Intake.objects.create(inburgeraar=mine[0], state=IntakeState.IN_UITVOERING)
    Intake.objects.create(inburgeraar=mine[1], state=IntakeState.AFGEROND)
    Deadline.objects.filter(inburgeraar__in=mine).delete()
    Deadline.objects.create(
        inburgeraar=mine[0],
        municipality=mine[0].municipality,
        kind=Kind.PROGRESS_REVIEW,
        key="1",
        due_date=today - timedelta(days=3),
        state=State.OVERDUE,
    )
    # Waiting for third-party information is not overdue (as on Vandaag and in Stuurinformatie).
    Deadline.objects.create(
        inburgeraar=mine[1],
        municipality=mine[1].municipality,
        kind=Kind.PROGRESS_REVIEW,
        key="1",
        due_date=today - timedelta(days=3),
        state=State.OPEN,
        waiting_since=today - timedelta(days=10),
    )
    client.force_login(lead)
    response = client.get(reverse("reporting:caseload"))
    assert response.status_code == 200
    loads = {str(load.caseworker): load for load in response.context["loads"]}
    km = loads[str(klantmanager)]
    assert (km.open_cases, km.intakes, km.overdue) == (3, 1, 1)
    assert loads[str(colleague)].open_cases == 1
    assert loads["None"].open_cases == 1  # Enkhuizen's is not this lead's
    assert "Werkverdeling" in response.content.decode()


def test_caseload_is_for_team_leads(client, klantmanager):
    client.force_login(klantmanager)
    assert client.get(reverse("reporting:caseload")).status_code == 403
