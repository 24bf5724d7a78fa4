"""Correcting the record on the Overzicht: address and contact, the legal dates and the household,
each through the case's write path with the concurrent-edit check, audit and timeline."""

from datetime import timedelta

import pytest
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape

from audit.models import AuditEntry
from cases import services
from cases.models import HouseholdLink, Inburgeraar, TimelineEvent
from common.postcode import normalise_postcode
from deadlines.models import Deadline, Kind

pytestmark = pytest.mark.django_db

HTMX = {"HTTP_HX_REQUEST": "true"}


@pytest.fixture
def user(caseworker_of):
    return caseworker_of("hoorn")


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


def contact_data(case, **overrides):
    data = {
        "version": case.version,
        "street": "Grote Noord",
        "house_number": "12a",
        "postal_code": "1621kj",
        "city": "Hoorn",
        "phone": "0229 123456",
        "email": "amal@example.org",
    }
    data.update(overrides)
    return data


@pytest.mark.parametrize(
    ("raw", "clean"),
    [("1621kj", "1621 KJ"), (" 1621  KJ ", "1621 KJ"), ("", ""), ("0621 KJ", None), ("16", None)],
)
def test_postcode_normaliser(raw, clean):
    assert normalise_postcode(raw) == clean


def test_overzicht_offers_wijzigen_for_whoever_may_change_it(client, logged_in, case_in, member_of):
    case = case_in("hoorn")
    page = logged_in.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert reverse("case-block", args=[case.pk, "contact"]) in page
    assert reverse("case-household", args=[case.pk]) in page
    outsider = member_of("enkhuizen")
    client.force_login(outsider)
    assert client.get(reverse("case-block", args=[case.pk, "contact"])).status_code == 404


def test_address_correction_saves_normalised_with_audit_and_timeline(logged_in, user, case_in):
    case = case_in("hoorn", street="Oud", postal_code="1620 AA")
    url = reverse("case-block", args=[case.pk, "contact"])
    form = logged_in.get(url, **HTMX)
    assert form.status_code == 200
    assert 'name="version"' in form.content.decode()
    response = logged_in.post(url, contact_data(case), **HTMX)
    assert response.status_code == 200
    body = response.content.decode()
    assert "1621 KJ" in body and "Grote Noord" in body
    assert 'id="overview-status"' in body and "opgeslagen" in body
    case.refresh_from_db()
    assert (case.street, case.postal_code, case.email) == (
        "Grote Noord",
        "1621 KJ",
        "amal@example.org",
    )
    entry = AuditEntry.objects.filter(object_id=str(case.pk), action="update").latest("id")
    assert entry.changes["street"] == ["Oud", "Grote Noord"]
    assert entry.changes["postal_code"] == ["1620 AA", "1621 KJ"]
    assert TimelineEvent.objects.filter(inburgeraar=case, kind="gegevens").exists()


def test_invalid_postcode_is_refused_and_nothing_saved(logged_in, case_in):
    case = case_in("hoorn", postal_code="1620 AA")
    url = reverse("case-block", args=[case.pk, "contact"])
    response = logged_in.post(url, contact_data(case, postal_code="12345"), **HTMX)
    assert response.status_code == 422
    assert "Geen geldige postcode" in response.content.decode()
    case.refresh_from_db()
    assert case.postal_code == "1620 AA"


def test_stale_form_is_refused_naming_the_change(logged_in, user, case_in):
    case = case_in("hoorn", street="Oud")
    stale = case.version
    services.update_case(user, case, values={"phone": "06 11111111"})
    url = reverse("case-block", args=[case.pk, "contact"])
    response = logged_in.post(url, contact_data(case, version=stale), **HTMX)
    assert response.status_code == 422
    assert "niet opgeslagen" in response.content.decode()
    case.refresh_from_db()
    assert case.street == "Oud"


def test_without_htmx_the_correction_redirects_to_the_dossier(logged_in, case_in):
    case = case_in("hoorn")
    url = reverse("case-block", args=[case.pk, "contact"])
    response = logged_in.post(url, contact_data(case))
    assert response.status_code == 302
    page = logged_in.get(reverse("case-block", args=[case.pk, "contact"]))
    assert page.status_code == 200 and "<html" in page.content.decode()


def test_moving_the_kennisgeving_recomputes_the_deadlines(logged_in, case_in):
    today = timezone.localdate()
    case = case_in("hoorn", datum_kennisgeving=today - timedelta(days=20))
    url = reverse("case-block", args=[case.pk, "datums"])
    new = today - timedelta(days=5)
    data = {"version": case.version, "datum_kennisgeving": new.isoformat()}
    response = logged_in.post(url, data, **HTMX)
    assert response.status_code == 200, response.content.decode()
    due = Deadline.objects.get(inburgeraar=case, kind=Kind.PIP_DUE).due_date
    assert due == new + timedelta(weeks=10)


def test_household_add_and_remove_both_ways(logged_in, user, case_in):
    case = case_in("hoorn")
    partner = case_in("hoorn")
    url = reverse("case-household", args=[case.pk])
    response = logged_in.post(
        url, {"version": case.version, "bsn": partner.bsn, "relation": "partner"}, **HTMX
    )
    assert response.status_code == 200, response.content.decode()
    assert escape(partner.full_name) in response.content.decode()  # Faker: "van 't Houteveen"
    link = HouseholdLink.objects.get(inburgeraar=case)
    assert link.relative == partner
    assert HouseholdLink.objects.filter(inburgeraar=partner, relative=case).exists()
    entry = AuditEntry.objects.filter(object_id=str(case.pk), action="update").latest("id")
    assert entry.changes["household"] == [None, f"partner:{partner.pk}"]
    case.refresh_from_db()
    response = logged_in.post(url, {"version": case.version, "remove": link.pk}, **HTMX)
    assert response.status_code == 200
    assert not HouseholdLink.objects.filter(inburgeraar__in=[case, partner]).exists()
    assert TimelineEvent.objects.filter(inburgeraar=case, kind="huishouden").count() == 2


def test_household_member_must_be_in_scope(logged_in, case_in):
    case = case_in("hoorn")
    elsewhere = case_in("enkhuizen")
    url = reverse("case-household", args=[case.pk])
    response = logged_in.post(
        url, {"version": case.version, "bsn": elsewhere.bsn, "relation": "kind"}, **HTMX
    )
    assert response.status_code == 422
    assert "Geen inburgeraar met dit BSN" in response.content.decode()
    assert not HouseholdLink.objects.exists()


def test_registration_normalises_the_postcode(logged_in, hoorn):
    data = {
        "bsn": "123456782",
        "first_names": "Amal",
        "surname": "Haddad",
        "date_of_birth": "1990-04-02",
        "gender": "v",
        "doelgroep": "gezinsmigrant",
        "municipality": hoorn.pk,
        "postal_code": "1621kj",
        "datum_kennisgeving": (timezone.localdate() - timedelta(days=10)).isoformat(),
    }
    response = logged_in.post(reverse("case-register"), data)
    assert response.status_code == 302
    assert Inburgeraar.objects.get(bsn="123456782").postal_code == "1621 KJ"
