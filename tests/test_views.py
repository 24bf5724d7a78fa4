"""The caseworker's web pages: login, home, case list and case detail."""

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse
from django.utils.html import escape

from audit.models import AuditEntry

from .auth_helpers import login_with_second_factor, post_password
from .factories import TEST_PASSWORD, InburgeraarFactory

pytestmark = pytest.mark.django_db


def test_login_page_renders_in_dutch(client):
    response = client.get("/accounts/login/")
    assert response.status_code == 200
    assert "Inloggen" in response.content.decode()
    assert 'lang="nl"' in response.content.decode()


def test_wrong_password_shows_an_error(client, caseworker_of):
    user = caseworker_of("hoorn")
    response = post_password(client, user.username, "fout-wachtwoord")
    assert response.status_code == 200
    assert "De combinatie van gebruikersnaam en wachtwoord is niet juist." in (
        response.content.decode()
    )
    assert "_auth_user_id" not in client.session


def test_login_redirects_home(client, caseworker_of):
    user = caseworker_of("hoorn")
    response = login_with_second_factor(client, user, TEST_PASSWORD)
    assert response.status_code == 302
    assert response.url == reverse("home") == "/"
    assert client.session["_auth_user_id"] == str(user.pk)
    assert client.get("/").status_code == 200


@pytest.mark.parametrize("url", ["/", "/inburgeraars/", "/inburgeraars/1/"])
def test_pages_require_login(client, url):
    response = client.get(url)
    assert response.status_code == 302
    assert response.url.startswith("/accounts/login/")


def test_home_lists_my_own_cases(client, caseworker_of, case_in):
    user = caseworker_of("hoorn")
    mine = case_in("hoorn", caseworker=user, first_names="Mijnzaak")
    case_in("hoorn", first_names="Anderezaak")
    client.force_login(user)
    content = client.get("/").content.decode()
    assert escape(mine.full_name) in content
    assert "Anderezaak" not in content


def test_case_list_shows_own_municipality_only_with_masked_bsn(client, caseworker_of, case_in):
    user = caseworker_of("hoorn")
    own = case_in("hoorn", surname="Eigenaar")
    other = case_in("enkhuizen", surname="Buitenstaander")
    client.force_login(user)
    response = client.get("/inburgeraars/")
    content = response.content.decode()
    assert response.status_code == 200
    assert escape(own.full_name) in content
    assert escape(other.full_name) not in content
    assert own.masked_bsn in content
    assert own.bsn not in content


def test_case_list_search_by_name(client, caseworker_of, case_in):
    user = caseworker_of("hoorn")
    found = case_in("hoorn", first_names="Ayşe", surname="Şahin")
    case_in("hoorn", first_names="Jan", surname="Jansen")
    client.force_login(user)
    page = client.get("/inburgeraars/", {"q": "sahin"}).context["page"]
    assert [case.pk for case in page] == [found.pk]


def test_case_list_search_by_bsn_of_own_case(client, caseworker_of, case_in):
    user = caseworker_of("hoorn")
    found = case_in("hoorn")
    case_in("hoorn")
    client.force_login(user)
    page = client.post("/inburgeraars/", {"q": found.bsn}, follow=True).context["page"]
    assert [case.pk for case in page] == [found.pk]


def test_case_list_search_never_finds_other_municipalities(client, caseworker_of, case_in):
    user = caseworker_of("hoorn")
    other = case_in("enkhuizen", first_names="Verborgen", surname="Persoon", v_nummer="9999999999")
    case_in("hoorn")
    client.force_login(user)
    for query in (other.bsn, other.v_nummer, "Verborgen", other.surname):
        response = client.post("/inburgeraars/", {"q": query}, follow=True)
        assert response.status_code == 200
        assert list(response.context["page"]) == [], query
        assert escape(other.full_name) not in response.content.decode()


def test_case_detail_of_own_municipality(client, caseworker_of, case_in):
    user = caseworker_of("hoorn")
    case = case_in("hoorn")
    client.force_login(user)
    response = client.get(f"/inburgeraars/{case.pk}/")
    assert response.status_code == 200
    assert escape(case.full_name) in response.content.decode()


def test_case_detail_of_other_municipality_is_404_not_403(client, caseworker_of, case_in):
    user = caseworker_of("hoorn")
    other = case_in("enkhuizen")
    client.force_login(user)
    response = client.get(f"/inburgeraars/{other.pk}/")
    assert response.status_code == 404
    assert escape(other.full_name) not in response.content.decode()
    # Exactly what a case that does not exist answers: nothing reveals it exists.
    assert client.get("/inburgeraars/987654321/").status_code == 404
    assert not AuditEntry.objects.filter(object_type="cases.inburgeraar").exists()


def list_page_queries(client):
    with CaptureQueriesContext(connection) as ctx:
        response = client.get("/inburgeraars/")
    assert response.status_code == 200
    return len(ctx.captured_queries), response


def test_case_list_query_count_is_constant(client, caseworker_of, hoorn):
    user = caseworker_of("hoorn")
    client.force_login(user)
    InburgeraarFactory.create_batch(1, municipality=hoorn, caseworker=user)
    one, response = list_page_queries(client)
    assert len(response.context["page"]) == 1

    InburgeraarFactory.create_batch(29, municipality=hoorn, caseworker=user)
    thirty, response = list_page_queries(client)
    assert len(response.context["page"]) > 1
    assert one == thirty


def test_favicon_is_served_and_linked(client):
    """Issue 16 (Lighthouse): /favicon.ico answered 404 on every page."""
    import io

    from PIL import Image

    response = client.get("/favicon.ico")
    assert response.status_code == 200
    assert response["Content-Type"] in ("image/x-icon", "image/vnd.microsoft.icon")
    icon = Image.open(io.BytesIO(b"".join(response.streaming_content)))
    assert icon.format == "ICO" and (32, 32) in icon.info["sizes"]
    page = client.get(reverse("login")).content.decode()
    assert '<link rel="icon" href="/favicon.ico" sizes="any">' in page


def test_a_bsn_search_keeps_the_bsn_out_of_every_address(client, caseworker_of, case_in):
    """Issue 11: the addresses a BSN search requests (what an access log records) carry no BSN;
    the POST's body does, and the reference only works in the searcher's own session."""
    user = caseworker_of("hoorn")
    found = case_in("hoorn", first_names="Gezocht")
    client.force_login(user)
    response = client.post("/inburgeraars/", {"q": found.bsn})
    assert response.status_code == 302
    assert found.bsn not in response.url
    assert "zoek=" in response.url
    page = client.get(response.url)
    assert [case.pk for case in page.context["page"]] == [found.pk]
    # htmx's live search: the table, and the address to push, without the BSN.
    response = client.post(
        "/inburgeraars/", {"q": found.bsn}, HTTP_HX_REQUEST="true", HTTP_HX_TARGET="case-results"
    )
    assert response.status_code == 200
    assert found.bsn not in response["HX-Push-Url"]
    assert "Gezocht" in response.content.decode()
    # An old address with ?q=<BSN> moves on to one without it.
    response = client.get("/inburgeraars/", {"q": found.bsn})
    assert response.status_code == 302 and found.bsn not in response.url
    # Another session cannot use the reference.
    other = type(client)()
    other.force_login(caseworker_of("hoorn"))
    reference_url = page.wsgi_request.get_full_path()
    assert other.get(reference_url).context["form"]["q"].value() in ("", None)


@pytest.mark.parametrize("role", ["klantmanager", "teamleider"])
def test_the_empty_case_list_row_spans_exactly_the_columns(client, member_of, role):
    """Issue 16 (Nu Html Checker): the "none found" row spans the table's columns, with and
    without the choose column of a team lead; one column too many is an empty table column."""
    import re

    client.force_login(member_of("hoorn", role))
    body = client.get(reverse("case-list")).content.decode()
    table = body.split("<table", 1)[1].split("</table>", 1)[0]
    columns = len(re.findall(r"<th\b", table.split("</thead>", 1)[0]))
    assert re.search(r'colspan="(\d+)"', table).group(1) == str(columns)
