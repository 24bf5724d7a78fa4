"""The caseworker's pages: registration, case list, dossier tabs, brede intake, transfer."""

from datetime import date, timedelta

import pytest
from django.test import Client
from django.urls import reverse
from django.utils import timezone
from django.utils.html import escape
from guardian.shortcuts import assign_perm

from audit.models import AuditEntry
from cases import services as case_services
from cases.models import Inburgeraar, TimelineEvent
from cases.selectors import filter_cases
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
    known = case_in("hoorn", bsn="123456782", first_names="Bekende", surname="Persoon")
    response = logged_in.post(reverse("case-register"), registration_data(hoorn))
    assert "al ingeschreven" in response.content.decode()
    # Issue 12: the error summary links to that case.
    summary = response.content.decode().split('class="utrecht-alert utrecht-alert--error')[1]
    summary = summary.split("</div>")[0]
    assert f'href="{reverse("case-detail", args=[known.pk])}"' in summary
    assert "Naar het dossier van Bekende Persoon" in summary


def test_registration_groups_fields_and_offers_kies(logged_in, hoorn):
    """Issue 12: fieldsets with legends, "Kies…" as the empty choice, never "---------"."""
    body = main_of(logged_in.get(reverse("case-register")))
    assert body.count("<fieldset") == 3
    for legend in ("Persoon", "Adres en contact", "Inburgeringsplicht"):
        assert legend in body
    assert '<option value="" selected>Kies…</option>' in body
    assert "---------" not in body


def test_register_existing_bsn_elsewhere_reveals_nothing(logged_in, hoorn, case_in):
    other = case_in("enkhuizen", bsn="123456782", surname="Geheimnaam")
    response = logged_in.post(reverse("case-register"), registration_data(hoorn))
    body = main_of(response)
    assert "kan niet worden ingeschreven" in body
    assert "Enkhuizen" not in body and "Geheimnaam" not in body and "al ingeschreven" not in body
    assert reverse("case-detail", args=[other.pk]) not in body and "Naar het dossier" not in body
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
    # A surname no generated user name contains (Faker made a caseworker "Lex Peterse").
    case_in("hoorn", first_names="Jan", surname="Xylander")
    body = logged_in.get(reverse("case-list"), {"q": "oztu"}).content.decode()
    assert "Öztürk" in body and "Xylander" not in body


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
    assert "Deze week" in home and escape(case.full_name) in home
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


@pytest.mark.parametrize(
    ("query", "name"),
    [
        ("yilmaz", "Yılmaz"),
        ("sorensen", "Sørensen"),
        ("lukasz", "Łukasz"),
        ("dordevic", "Đorđević"),
        ("strasse", "Straße"),
        ("aesa", "Æsa"),
        ("oeuvre", "Œuvre"),
        ("thora", "Þora"),
    ],
)
def test_search_folds_letters_that_do_not_decompose(logged_in, case_in, query, name):
    """Issue 12: 'yilmaz' finds 'Yılmaz' (dotless i), and so on for ø, ł, đ, ß, æ, œ, þ."""
    case_in("hoorn", first_names="Testpersoon", surname=name)
    case_in("hoorn", first_names="Jan", surname="Xylander")
    body = logged_in.get(reverse("case-list"), {"q": query}).content.decode()
    assert name in body and "Xylander" not in body


def test_surnames_sort_in_dutch_order(user, case_in):
    """Issue 12: Ö sorts with O and Ş with S, not after Z (ICU on PostgreSQL, the folded name on
    SQLite)."""
    for surname in ("Zwart", "Şahin", "Öztürk", "Peters", "Oosterhuis", "Smit", "Ozdemir"):
        case_in("hoorn", first_names="Test", surname=surname)
    order = list(filter_cases(user, sort="naam").values_list("surname", flat=True))
    assert order == ["Oosterhuis", "Ozdemir", "Öztürk", "Peters", "Şahin", "Smit", "Zwart"]
    # The model's default ordering is the same.
    assert list(Inburgeraar.objects.values_list("surname", flat=True)) == order
    # A search sorts what it finds in the same order (collation.by_name_unindexed).
    assert list(filter_cases(user, q="test").values_list("surname", flat=True)) == order


def test_case_list_shows_date_of_birth_and_what_the_next_deadline_is(logged_in, case_in):
    """Issue 12: two people with the same name are told apart by their date of birth, and the
    next deadline's kind stands beside its date."""
    from deadlines.services import recompute_for_cases

    first = case_in("hoorn", first_names="Amal", surname="Haddad", date_of_birth=date(1990, 4, 2))
    second = case_in(
        "hoorn", first_names="Amal", surname="Haddad", date_of_birth=date(1985, 11, 30)
    )
    first.datum_kennisgeving = timezone.localdate() - timedelta(days=10)
    first.save()
    recompute_for_cases([first.pk, second.pk])
    response = logged_in.get(reverse("case-list"))
    body = main_of(response)
    assert "02-04-1990" in body and "30-11-1985" in body
    row = next(case for case in response.context["page"] if case.pk == first.pk)
    assert row.next_due_kind
    from deadlines.models import Kind

    assert str(Kind(row.next_due_kind).label) in body


def test_case_list_says_how_many_without_counting(logged_in, case_in):
    """Issue 12: the number of results, exact up to 50 and "meer dan 50" beyond, from the page's own
    query: no COUNT over the permission join, the same number of queries for 1, 30 and 60 cases."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    def visit(**params):
        with CaptureQueriesContext(connection) as ctx:
            response = logged_in.get(reverse("case-list"), params)
        assert not any("COUNT(" in q["sql"].upper() for q in ctx.captured_queries)
        return len(ctx), main_of(response)

    case_in("hoorn", surname="Eenling")
    one, body = visit()
    assert "1 inburgeraar gevonden" in body
    for _ in range(29):
        case_in("hoorn")
    thirty, body = visit()
    assert "30 inburgeraars gevonden" in body
    assert "1 inburgeraar gevonden" in main_of(
        logged_in.get(reverse("case-list"), {"q": "eenling"})
    )
    for _ in range(30):
        case_in("hoorn")
    sixty, body = visit()
    assert "Meer dan 50 inburgeraars gevonden" in body
    assert one == thirty == sixty
    _queries, body = visit(page=3)
    assert "Meer dan 50 inburgeraars gevonden" in body


def test_htmx_section_save_swaps_only_its_own_form(logged_in, user, case_in):
    """Issue 12: a saved section answers with its own form and, out of band, its status, the new
    version for the other sections' forms and the progress; never the whole panel (which would
    drop what was typed elsewhere)."""
    case = case_in("hoorn")
    intake = services.begin_intake(user, services.plan_intake(user, case))
    response = logged_in.post(
        reverse("intake-section", args=[case.pk, "toets"]),
        {
            "toets-test_date": "2026-10-01",
            "toets-test_score": "30",
            "toets-version": intake.version,
        },
        headers={"HX-Request": "true", "HX-Target": "section-form-toets"},
    )
    body = response.content.decode()
    intake.refresh_from_db()
    assert response.status_code == 200
    assert 'id="section-form-toets"' in body and 'id="section-form-omstandigheden"' not in body
    assert 'id="status-toets" data-hx-swap-oob="innerHTML">Opgeslagen.' in body
    assert (
        f'name="omstandigheden-version" value="{intake.version}" id="id_omstandigheden-version"'
        ' data-hx-swap-oob="true"' in body
    )
    assert 'id="intake-progress" data-hx-swap-oob="true"' in body and "B1 haalbaar" in body
    # The other section, posted with the version it was given, saves (no stale refusal).
    second = logged_in.post(
        reverse("intake-section", args=[case.pk, "omstandigheden"]),
        {
            "omstandigheden-personal_circumstances": "Alleenstaand",
            "omstandigheden-version": intake.version,
        },
        headers={"HX-Request": "true"},
    )
    assert second.status_code == 200
    assert Intake.objects.get(pk=intake.pk).personal_circumstances == "Alleenstaand"


def test_htmx_topic_note_swaps_only_its_own_form(logged_in, user, case_in):
    topic = IntakeTopic.objects.create(name="Financiën", municipality=None)
    case = case_in("hoorn")
    services.begin_intake(user, services.plan_intake(user, case))
    response = logged_in.post(
        reverse("intake-topic-note", args=[case.pk, topic.pk]),
        {"notes": "Schulden bij de zorgverzekeraar"},
        headers={"HX-Request": "true"},
    )
    body = response.content.decode()
    assert response.status_code == 200 and f'id="topic-form-{topic.pk}"' in body
    assert f'id="status-topic-{topic.pk}" data-hx-swap-oob="innerHTML">Opgeslagen.' in body
    assert "Brede intake" not in body  # not the whole panel
