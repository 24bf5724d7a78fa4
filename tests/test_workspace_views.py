"""The caseworker's pages: registration, case list, dossier tabs, brede intake, transfer."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from guardian.shortcuts import assign_perm

from audit.models import AuditEntry
from cases import services as case_services
from cases.models import Inburgeraar, TimelineEvent
from intake import services
from intake.models import Intake, IntakeState, IntakeTopic

from .factories import IntakeFactory


@pytest.fixture
def user(caseworker_of):
    return caseworker_of("hoorn")


@pytest.fixture
def logged_in(client, user):
    client.force_login(user)
    return client


def registration_data(hoorn, **overrides):
    data = {
        "bsn": "123456782",
        "first_names": "Amal",
        "surname": "Haddad",
        "date_of_birth": "1990-04-02",
        "gender": "v",
        "doelgroep": "asielstatushouder",
        "municipality": hoorn.pk,
        "datum_kennisgeving": (timezone.localdate() - timedelta(days=10)).isoformat(),
    }
    data.update(overrides)
    return data


def main_of(response) -> str:
    """The page's <main> (the footer names all seven municipalities)."""
    body = response.content.decode()
    return body[body.index("<main") : body.index("</main>")]


# --- registration --------------------------------------------------------------------------------


def test_register_valid(logged_in, hoorn, user):
    response = logged_in.post(reverse("case-register"), registration_data(hoorn))
    case = Inburgeraar.objects.get(bsn="123456782")
    assert response.status_code == 302 and response.url == reverse("case-detail", args=[case.pk])
    assert case.caseworker == user
    assert AuditEntry.objects.filter(
        action="create", object_type="cases.inburgeraar", object_id=str(case.pk)
    ).exists()
    assert TimelineEvent.objects.filter(inburgeraar=case, kind="registratie").exists()


def test_register_invalid_bsn_names_the_elfproef(logged_in, hoorn):
    response = logged_in.post(reverse("case-register"), registration_data(hoorn, bsn="123456789"))
    assert response.status_code == 200
    assert "11-proef" in response.content.decode()
    assert not Inburgeraar.objects.exists()


@pytest.mark.parametrize(
    ("field", "value", "message"),
    [
        ("date_of_birth", "2090-01-01", "toekomst"),
        ("date_of_birth", (date.today() - timedelta(days=365 * 10)).isoformat(), "16 jaar"),
        ("datum_kennisgeving", "2090-01-01", "toekomst"),
        ("datum_kennisgeving", "1980-01-01", "vóór de geboortedatum"),
        ("datum_koppeling", "2020-01-01", None),
    ],
)
def test_register_impossible_dates(logged_in, hoorn, field, value, message):
    overrides = {field: value}
    if field == "datum_koppeling":
        overrides["doelgroep"] = "gezinsmigrant"
        message = "asielstatushouder"
    response = logged_in.post(reverse("case-register"), registration_data(hoorn, **overrides))
    assert response.status_code == 200
    assert message in response.content.decode()
    assert not Inburgeraar.objects.exists()


def test_register_existing_bsn_visible_says_so(logged_in, hoorn, case_in):
    case_in("hoorn", bsn="123456782")
    response = logged_in.post(reverse("case-register"), registration_data(hoorn))
    assert "al ingeschreven" in response.content.decode()


def test_register_existing_bsn_elsewhere_reveals_nothing(logged_in, hoorn, case_in):
    other = case_in("enkhuizen", bsn="123456782", surname="Geheimnaam")
    response = logged_in.post(reverse("case-register"), registration_data(hoorn))
    body = main_of(response)
    assert "kan niet worden ingeschreven" in body
    assert "Enkhuizen" not in body and "Geheimnaam" not in body and "al ingeschreven" not in body
    assert Inburgeraar.objects.count() == 1 and Inburgeraar.objects.get().pk == other.pk
    # Issue 11 point 4: the attempt is on the trail of the case the user may not see.
    from audit.models import AuditEntry

    attempt = AuditEntry.objects.get(object_type="cases.inburgeraar", object_id=str(other.pk))
    assert attempt.actor_username == response.wsgi_request.user.username
    assert attempt.reason.startswith("geweigerd") and attempt.fields == ["bsn"]
    assert "123456782" not in str(attempt.reason) + attempt.object_repr


def test_register_only_in_own_municipality(logged_in, enkhuizen, hoorn):
    response = logged_in.post(
        reverse("case-register"), registration_data(hoorn, municipality=enkhuizen.pk)
    )
    assert response.status_code == 200
    assert not Inburgeraar.objects.exists()


# --- case list ------------------------------------------------------------------------------------


def test_search_is_accent_insensitive_and_partial(logged_in, case_in):
    case_in("hoorn", first_names="Şeyma", surname="Öztürk")
    case_in("hoorn", first_names="Jan", surname="Peters")
    body = logged_in.get(reverse("case-list"), {"q": "oztu"}).content.decode()
    assert "Öztürk" in body and "Peters" not in body


def test_search_by_v_nummer_and_bsn(logged_in, case_in):
    case = case_in("hoorn", v_nummer="1234567890", surname="Vnummer")
    assert "Vnummer" in logged_in.get(reverse("case-list"), {"q": "1234567890"}).content.decode()
    assert (
        "Vnummer"
        in logged_in.post(reverse("case-list"), {"q": case.bsn}, follow=True).content.decode()
    )


def test_filters_and_masked_bsn(logged_in, user, case_in):
    mine = case_in("hoorn", surname="Mijnzaak", caseworker=user, status="intake")
    case_in("hoorn", surname="Anderzaak", status="uitvoering")
    body = logged_in.get(reverse("case-list"), {"caseworker": "mij"}).content.decode()
    assert "Mijnzaak" in body and "Anderzaak" not in body
    assert mine.bsn not in body and mine.masked_bsn in body
    body = logged_in.get(reverse("case-list"), {"status": "uitvoering"}).content.decode()
    assert "Anderzaak" in body and "Mijnzaak" not in body


def test_list_paginates_without_count(logged_in, case_in, django_assert_max_num_queries):
    for _ in range(30):
        case_in("hoorn")
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as queries:
        response = logged_in.get(reverse("case-list"))
    assert "Volgende pagina" in response.content.decode()
    assert not any("COUNT(" in q["sql"].upper() for q in queries.captured_queries)
    assert (
        "Volgende pagina" not in logged_in.get(reverse("case-list"), {"page": 2}).content.decode()
    )


def test_other_municipality_never_in_list(logged_in, case_in):
    other = case_in("enkhuizen", surname="Buitenregio")
    body = logged_in.post(reverse("case-list"), {"q": other.bsn}, follow=True).content.decode()
    assert "Buitenregio" not in body


# --- dossier --------------------------------------------------------------------------------------


@pytest.mark.parametrize("tab", ["overzicht", "intake", "tijdlijn"])
def test_each_tab_is_audited_and_htmx_returns_only_the_panel(logged_in, case_in, tab):
    case = case_in("hoorn")
    url = reverse("case-tab", args=[case.pk, tab])
    full = logged_in.get(url)
    assert full.status_code == 200 and b'id="case-title"' in full.content
    partial = logged_in.get(url, headers={"HX-Request": "true", "HX-Target": "tab-panel"})
    assert partial.status_code == 200 and b'id="case-title"' not in partial.content
    assert (
        AuditEntry.objects.filter(
            action="view", object_id=str(case.pk), reason=f"dossier: {tab}"
        ).count()
        == 2
    )


def test_reveal_bsn_is_audited(logged_in, case_in):
    case = case_in("hoorn")
    detail = logged_in.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert case.bsn not in detail
    response = logged_in.post(reverse("case-reveal-bsn", args=[case.pk]))
    assert case.bsn in response.content.decode()
    assert AuditEntry.objects.filter(object_id=str(case.pk), fields=["bsn"]).exists()


@pytest.mark.parametrize(
    "name",
    [
        "case-detail",
        "case-reveal-bsn",
        "case-transfer",
        "intake-plan",
        "intake-begin",
        "intake-complete",
        "intake-cancel",
        "intake-invite",
    ],
)
def test_other_municipality_gets_404_everywhere(client, caseworker_of, case_in, name):
    case = case_in("hoorn")
    client.force_login(caseworker_of("enkhuizen"))
    url = reverse(name, args=[case.pk])
    response = client.post(url) if name not in ("case-detail", "case-transfer") else client.get(url)
    assert response.status_code == 404


def test_timeline_tab_shows_events_with_who(logged_in, user, case_in):
    case = case_in("hoorn")
    services.plan_intake(user, case)
    body = logged_in.get(reverse("case-tab", args=[case.pk, "tijdlijn"])).content.decode()
    assert "Brede intake gepland" in body and str(user) in body


# --- brede intake through the pages --------------------------------------------------------------


def test_intake_flow_through_pages(logged_in, user, case_in):
    case = case_in("hoorn", date_of_birth=date(1980, 1, 1))
    logged_in.post(reverse("intake-plan", args=[case.pk]))
    logged_in.post(reverse("intake-begin", args=[case.pk]))
    intake = Intake.objects.get(inburgeraar=case)

    def post_section(section, **fields):
        intake.refresh_from_db()
        data = {f"{section}-{k}": v for k, v in fields.items()}
        data[f"{section}-version"] = intake.version
        return logged_in.post(reverse("intake-section", args=[case.pk, section]), data)

    assert post_section("toets", test_date="2026-10-01", test_score="30").status_code == 302
    post_section("herkomst", highest_education="basis", education_work_notes="Kapper in Damascus")
    post_section("omstandigheden", personal_circumstances="Alleenstaand")
    post_section("gezondheid", physical_health="Goed", mental_health="Goed")
    response = post_section("route", chosen_route="Z")
    assert response.status_code == 422 and "Geef de reden" in response.content.decode()
    post_section("route", chosen_route="B1")
    intake.refresh_from_db()
    page = logged_in.get(reverse("case-tab", args=[case.pk, "intake"])).content.decode()
    assert "B1 haalbaar" in page and "Compleet" in page
    logged_in.post(reverse("intake-complete", args=[case.pk]), {"version": intake.version})
    intake.refresh_from_db()
    assert intake.state == IntakeState.AFGEROND


def test_score_above_40_is_refused(logged_in, user, case_in):
    case = case_in("hoorn")
    intake = services.begin_intake(user, services.plan_intake(user, case))
    response = logged_in.post(
        reverse("intake-section", args=[case.pk, "toets"]),
        {
            "toets-test_date": "2026-10-01",
            "toets-test_score": "41",
            "toets-version": intake.version,
        },
    )
    assert response.status_code == 422
    assert Intake.objects.get(pk=intake.pk).test_score is None


def test_stale_form_shows_who_changed_it(logged_in, user, case_in, caseworker_of):
    case = case_in("hoorn")
    intake = services.begin_intake(user, services.plan_intake(user, case))
    stale_version = intake.version
    colleague = caseworker_of("hoorn", first_name="Karin", last_name="Vos")
    services.save_intake_fields(
        colleague, intake, expected_version=stale_version, values={"motivation": "Zorg"}
    )
    response = logged_in.post(
        reverse("intake-section", args=[case.pk, "vaardigheden"]),
        {"vaardigheden-motivation": "Techniek", "vaardigheden-version": stale_version},
        headers={"HX-Request": "true", "HX-Target": "tab-panel"},
    )
    body = response.content.decode()
    assert "Karin Vos" in body and "niet opgeslagen" in body
    assert Intake.objects.get(pk=intake.pk).motivation == "Zorg"


def test_configured_topics_per_municipality(logged_in, user, case_in, hoorn, enkhuizen):
    IntakeTopic.objects.create(name="Financiën", municipality=None)
    IntakeTopic.objects.create(name="Huisvesting Hoorn", municipality=hoorn)
    IntakeTopic.objects.create(name="Alleen Enkhuizen", municipality=enkhuizen)
    case = case_in("hoorn")
    services.plan_intake(user, case)
    body = logged_in.get(reverse("case-tab", args=[case.pk, "intake"])).content.decode()
    assert "Financiën" in body and "Huisvesting Hoorn" in body and "Alleen Enkhuizen" not in body


# --- special-category data ------------------------------------------------------------------------


def test_health_hidden_from_werksaam_and_audited_for_caseworker(
    client, logged_in, user, case_in, werksaam, member_of
):
    case = case_in("hoorn")
    intake = IntakeFactory(in_progress=True, legal_minimum=True, inburgeraar=case)
    services.save_intake_fields(
        user, intake, expected_version=intake.version, values={"mental_health": "PTSS-behandeling"}
    )
    body = logged_in.get(reverse("case-tab", args=[case.pk, "intake"])).content.decode()
    assert "PTSS-behandeling" in body
    views = AuditEntry.objects.filter(object_id=str(case.pk), action="view")
    assert any("intake.mental_health" in entry.fields for entry in views)

    assign_perm("cases.view_inburgeraar", werksaam.group, case)
    client = Client()
    client.force_login(member_of("werksaam", "werksaam_medewerker"))
    body = client.get(reverse("case-tab", args=[case.pk, "intake"])).content.decode()
    assert "PTSS-behandeling" not in body and "Gezondheid opslaan" not in body
    response = client.post(
        reverse("intake-section", args=[case.pk, "gezondheid"]), {"gezondheid-version": 1}
    )
    assert response.status_code == 404


# --- transfer -------------------------------------------------------------------------------------


def test_transfer_gives_the_whole_file_and_read_only_access(
    logged_in, user, case_in, enkhuizen, caseworker_of, client
):
    case = case_in("hoorn")
    services.plan_intake(user, case)
    response = logged_in.post(
        reverse("case-transfer", args=[case.pk]),
        {"to_municipality": enkhuizen.pk, "reason": "Verhuisd"},
    )
    assert response.status_code == 302
    case.refresh_from_db()
    assert case.municipality == enkhuizen
    # the sender still reads, but cannot change
    assert logged_in.get(reverse("case-detail", args=[case.pk])).status_code == 200
    assert logged_in.post(reverse("intake-begin", args=[case.pk])).status_code == 404
    # the receiver works the case, intake included
    receiver = caseworker_of("enkhuizen")
    client = Client()
    client.force_login(receiver)
    body = client.get(reverse("case-tab", args=[case.pk, "tijdlijn"])).content.decode()
    assert "Overgedragen van Hoorn naar Enkhuizen" in body
    assert client.post(reverse("intake-begin", args=[case.pk])).status_code == 302
    # the sender never reads health data of the transferred case
    sender_view = logged_in.get(reverse("case-tab", args=[case.pk, "intake"])).content.decode()
    assert "alleen zichtbaar voor de gemeente die het dossier behandelt" in sender_view, (
        sender_view[sender_view.index("<main") :]
    )


def test_read_only_access_ends_after_the_period(user, case_in, enkhuizen, settings):
    settings.TRANSFER_READ_ONLY_DAYS = 30
    case = case_in("hoorn")
    case_services.transfer_case(user, case, to_municipality=enkhuizen)
    assert Inburgeraar.objects.visible_to(user).filter(pk=case.pk).exists()
    assert (
        case_services.end_transfer_read_only_access(today=timezone.localdate() + timedelta(days=30))
        == 0
    )
    assert (
        case_services.end_transfer_read_only_access(today=timezone.localdate() + timedelta(days=31))
        == 1
    )
    assert not Inburgeraar.objects.visible_to(user).filter(pk=case.pk).exists()
    # idempotent: a second sweep changes nothing
    assert (
        case_services.end_transfer_read_only_access(today=timezone.localdate() + timedelta(days=40))
        == 0
    )


def test_transfer_to_same_municipality_refused(user, case_in, hoorn):
    from django.core.exceptions import ValidationError

    case = case_in("hoorn")
    with pytest.raises(ValidationError):
        case_services.transfer_case(user, case, to_municipality=hoorn)


def test_home_shows_open_intakes_and_missing_outcomes(logged_in, user, case_in):
    from intake.models import Invitation

    case = case_in("hoorn", caseworker=user, surname="Thuispagina")
    intake = services.plan_intake(user, case)
    Invitation.objects.create(
        intake=intake,
        sequence=1,
        conversation_at=timezone.now() - timedelta(days=2),
        response_date=timezone.localdate() - timedelta(days=4),
    )
    body = logged_in.get(reverse("home")).content.decode()
    assert "Thuispagina" in body and "Uitkomst ontbreekt" in body


def test_header_list_and_home_show_the_next_legal_date(logged_in, user, case_in):
    from deadlines.services import recompute_for_case

    case = case_in(
        "hoorn", caseworker=user, datum_kennisgeving=timezone.localdate() - timedelta(days=70)
    )
    recompute_for_case(case)
    due = (case.datum_kennisgeving + timedelta(weeks=10)).strftime("%d-%m-%Y")
    detail = logged_in.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert due in detail[detail.index('id="next-deadline"') :][:200]
    assert due in logged_in.get(reverse("case-list")).content.decode()
    home = logged_in.get(reverse("home")).content.decode()
    assert "Deze week" in home and case.full_name in home
    tab = logged_in.get(
        reverse("case-deadlines", args=[case.pk]),
        headers={"HX-Request": "true", "HX-Target": "tab-panel"},
    )
    assert due in tab.content.decode() and b'id="case-title"' not in tab.content


def test_case_list_query_count_with_deadlines_is_constant(logged_in, user, case_in):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    from deadlines.services import recompute_for_cases

    def count(n):
        ids = [case_in("hoorn").pk for _ in range(n)]
        recompute_for_cases(ids)
        with CaptureQueriesContext(connection) as ctx:
            logged_in.get(reverse("case-list"), {"sort": "termijn"})
        return len(ctx)

    assert count(1) == count(20)


def test_werksaam_and_former_municipality_see_only_the_intake_outcome(
    user, case_in, werksaam, enkhuizen, member_of
):
    case = case_in("hoorn")
    intake = IntakeFactory(in_progress=True, legal_minimum=True, inburgeraar=case)
    services.save_intake_fields(
        user,
        intake,
        expected_version=intake.version,
        values={"personal_circumstances": "Schulden bij de Belastingdienst"},
    )
    assign_perm("cases.view_inburgeraar", werksaam.group, case)
    werksaam_client = Client()
    werksaam_client.force_login(member_of("werksaam", "werksaam_medewerker"))
    response = werksaam_client.get(reverse("case-tab", args=[case.pk, "intake"]))
    # Issue 11: WerkSaam reads a shared case in its own shared view, never the dossier.
    assert response.status_code == 404 and "Schulden" not in response.content.decode()
    shared = werksaam_client.get(reverse("werksaam_bridge:case", args=[case.pk])).content.decode()
    assert "Schulden" not in shared
    sender = Client()
    sender.force_login(user)
    case_services.transfer_case(user, case, to_municipality=enkhuizen)
    assert (
        "Schulden" not in sender.get(reverse("case-tab", args=[case.pk, "intake"])).content.decode()
    )


def test_werksaam_staff_land_on_their_dashboard(member_of):
    client = Client()
    client.force_login(member_of("werksaam", "werksaam_medewerker"))
    response = client.get(reverse("home"))
    assert response.status_code == 302 and response.url == reverse("werksaam_bridge:dashboard")


def test_reveal_replaces_the_masked_value_and_its_button(logged_in, case_in):
    case = case_in("hoorn")
    detail = logged_in.get(reverse("case-detail", args=[case.pk])).content.decode()
    assert 'hx-target="closest dd"' in detail
    response = logged_in.post(
        reverse("case-reveal-bsn", args=[case.pk]), headers={"HX-Request": "true"}
    )
    assert response.content.decode() == f'<span id="bsn-value">{case.bsn}</span>'
