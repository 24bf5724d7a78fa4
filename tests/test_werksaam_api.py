"""The API of the WerkSaam bridge: token clients with scopes, the one door, cursor pages,
problem+json errors, the committed OpenAPI schema, and schemathesis against it."""

import io
from datetime import date, timedelta
from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.core.management import call_command
from django.utils import timezone
from hypothesis import HealthCheck
from hypothesis import settings as hypothesis_settings

from api import services as api_services
from api.models import ApiClient, ApiScope
from municipalities.models import Role
from werksaam_bridge import services
from werksaam_bridge.models import Benefit, Share

from .factories import DeadlineFactory, organisation

pytestmark = pytest.mark.django_db

API = "/api/v1/"
SCHEMA_FILE = Path(settings.BASE_DIR) / "openapi.yaml"


@pytest.fixture
def caseworker(caseworker_of):
    return caseworker_of("hoorn")


@pytest.fixture
def ws_user(member_of):
    return member_of("werksaam", Role.WERKSAAM_MEDEWERKER)


@pytest.fixture
def shared(caseworker, case_in):
    case = case_in("hoorn")
    services.start_share(caseworker, case, basis=Share.Basis.BENEFIT)
    return case


def client_for(api_client, slug, scopes):
    client, token = api_services.create_api_client(
        None,
        organisation=organisation(slug),
        name=f"Systeem {slug} {'-'.join(scopes)}",
        scopes=scopes,
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    return client, token


def ids(response):
    assert response.status_code == 200, response.content
    return {row["id"] for row in response.json()["results"]}


# --- token clients -------------------------------------------------------------------------------------


def test_token_is_stored_hashed_and_authenticates(api_client, shared):
    client, token = client_for(api_client, "werksaam", [ApiScope.READ])
    stored = ApiClient.objects.get(pk=client.pk)
    assert token not in (stored.token_hash, stored.token_prefix + "x")
    assert stored.token_hash != token and len(stored.token_hash) == 64
    assert ids(api_client.get(f"{API}inburgeraars/")) == {shared.pk}
    stored.refresh_from_db()
    assert stored.last_used_at is not None


def test_wrong_or_revoked_token_is_refused_as_problem(api_client, shared):
    client, _token = client_for(api_client, "werksaam", [ApiScope.READ])
    ApiClient.objects.filter(pk=client.pk).update(is_active=False)
    response = api_client.get(f"{API}shares/")
    assert response.status_code in (401, 403)
    assert response["Content-Type"].startswith("application/problem+json")
    api_client.credentials(HTTP_AUTHORIZATION="Bearer wfk_nonsense")
    assert api_client.get(f"{API}shares/").status_code in (401, 403)


def test_scopes_per_client(api_client, shared):
    today = timezone.localdate().isoformat()
    body = {"inburgeraar": shared.pk, "start_date": today}
    client_for(api_client, "werksaam", [ApiScope.READ])
    assert api_client.get(f"{API}werksaam/bijstand/").status_code == 200
    assert api_client.post(f"{API}werksaam/bijstand/", body, format="json").status_code == 403

    client_for(api_client, "werksaam", [ApiScope.WERKSAAM_WRITE])
    assert api_client.get(f"{API}werksaam/bijstand/").status_code == 403
    assert api_client.get(f"{API}inburgeraars/").status_code == 403
    response = api_client.post(f"{API}werksaam/bijstand/", body, format="json")
    assert response.status_code == 201, response.content
    assert Benefit.objects.get().created_by.api_client.organisation.slug == "werksaam"


def test_municipality_client_reads_its_own_cases_and_may_not_write(api_client, shared, case_in):
    other = case_in("enkhuizen")
    client_for(api_client, "hoorn", [ApiScope.READ, ApiScope.WERKSAAM_WRITE])
    found = ids(api_client.get(f"{API}inburgeraars/"))
    assert shared.pk in found and other.pk not in found
    assert ids(api_client.get(f"{API}shares/")) == set(
        Share.objects.filter(inburgeraar=shared).values_list("pk", flat=True)
    )
    response = api_client.post(
        f"{API}werksaam/bijstand/",
        {"inburgeraar": shared.pk, "start_date": timezone.localdate().isoformat()},
        format="json",
    )
    assert response.status_code == 403
    assert response["Content-Type"].startswith("application/problem+json")


def test_werksaam_client_sees_exactly_the_shared_cases(api_client, shared, case_in):
    unshared = case_in("hoorn")
    client_for(api_client, "werksaam", [ApiScope.READ, ApiScope.WERKSAAM_WRITE])
    assert ids(api_client.get(f"{API}inburgeraars/")) == {shared.pk}
    assert api_client.get(f"{API}inburgeraars/{unshared.pk}/").status_code == 404
    response = api_client.post(
        f"{API}werksaam/bijstand/",
        {"inburgeraar": unshared.pk, "start_date": timezone.localdate().isoformat()},
        format="json",
    )
    # Not shared: 404, the same answer as for a case that does not exist (issue 16: schemathesis
    # sent a schema-valid id and got a 400 the schema did not foresee).
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 404
    assert not Benefit.objects.exists()


RECORD_BODIES = {
    "bijstand": {"start_date": "2026-11-02"},
    "ontzorgen": {
        "machtiging_date": "2026-11-02",
        "start_date": "2026-11-02",
        "planned_end": "2027-05-02",
    },
    "map": {"status": "bezig"},
    "activiteiten": {"kind": "stage", "name": "Stage", "start_date": "2026-11-02"},
}


@pytest.mark.parametrize("endpoint", sorted(RECORD_BODIES))
def test_a_record_on_a_case_that_does_not_exist_is_a_404_problem(api_client, shared, endpoint):
    client_for(api_client, "werksaam", [ApiScope.READ, ApiScope.WERKSAAM_WRITE])
    url = f"{API}werksaam/{endpoint}/"
    body = {**RECORD_BODIES[endpoint], "inburgeraar": shared.pk + 100000}
    response = api_client.post(url, body, format="json")
    assert response.status_code == 404, response.content
    assert response["Content-Type"] == "application/problem+json"
    # An id the schema refuses (minimum 1) is a 400 that names the field.
    response = api_client.post(url, {**body, "inburgeraar": 0}, format="json")
    assert response.status_code == 400
    assert "inburgeraar" in response.json()["errors"]
    if endpoint == "ontzorgen":
        return  # (ontzorgen needs bijstand first and a fixed cost: tests/test_werksaam.py)
    # And the same body on the shared case is written.
    response = api_client.post(url, {**body, "inburgeraar": shared.pk}, format="json")
    assert response.status_code == 201, response.content
    assert response.json()["inburgeraar"] == shared.pk


def test_records_are_written_as_json_only(api_client, shared):
    """A form encoding has no null: `ended_on=null` arrived as the string "null" and was refused,
    though the schema offered multipart/form-data. The API takes JSON; a form body is a 415."""
    client_for(api_client, "werksaam", [ApiScope.READ, ApiScope.WERKSAAM_WRITE])
    body = {"inburgeraar": shared.pk, "start_date": timezone.localdate().isoformat()}
    response = api_client.post(f"{API}werksaam/bijstand/", body, format="multipart")
    assert response.status_code == 415
    assert response["Content-Type"] == "application/problem+json"
    assert api_client.post(f"{API}werksaam/bijstand/", body, format="json").status_code == 201
    schema = yaml.safe_load(SCHEMA_FILE.read_text())
    for path, operations in schema["paths"].items():
        for method, operation in operations.items():
            kinds = set(operation.get("requestBody", {}).get("content", {}))
            expected = (
                {"multipart/form-data"} if path == "/api/v1/documents/" else {"application/json"}
            )
            assert not kinds or kinds == expected, (method, path, kinds)


def test_the_document_upload_declares_its_file_as_binary():
    """The file is a part of the multipart body, not a URI (schemathesis sent 'https://0.com')."""
    schema = yaml.safe_load(SCHEMA_FILE.read_text())
    upload = schema["components"]["schemas"]["DocumentUpload"]["properties"]
    assert upload["file"] == {"type": "string", "format": "binary"}
    assert upload["inburgeraar"]["minimum"] == 1


# --- per role (session) ----------------------------------------------------------------------------------


def test_roles_through_the_session(api_client, caseworker, caseworker_of, ws_user, shared):
    benefit = services.add_record(ws_user, shared, Benefit, start_date=timezone.localdate())
    # The case's own caseworker reads WerkSaam's records but does not write them.
    api_client.force_authenticate(caseworker)
    assert ids(api_client.get(f"{API}werksaam/bijstand/")) == {benefit.pk}
    response = api_client.patch(
        f"{API}werksaam/bijstand/{benefit.pk}/", {"end_date": None}, format="json"
    )
    assert response.status_code == 403
    # A caseworker of another municipality sees nothing of it.
    api_client.force_authenticate(caseworker_of("enkhuizen"))
    assert ids(api_client.get(f"{API}werksaam/bijstand/")) == set()
    assert api_client.get(f"{API}werksaam/bijstand/{benefit.pk}/").status_code == 404
    assert ids(api_client.get(f"{API}shares/")) == set()
    # WerkSaam changes its record; the change is validated by the service.
    api_client.force_authenticate(ws_user)
    end = (timezone.localdate() + timedelta(days=30)).isoformat()
    response = api_client.patch(
        f"{API}werksaam/bijstand/{benefit.pk}/", {"end_date": end}, format="json"
    )
    assert response.status_code == 200 and response.json()["end_date"] == end
    before = (timezone.localdate() - timedelta(days=30)).isoformat()
    response = api_client.patch(
        f"{API}werksaam/bijstand/{benefit.pk}/", {"end_date": before}, format="json"
    )
    assert response.status_code == 400
    assert "end_date" in response.json()["errors"]


def test_ontzorgen_via_the_api_checks_six_months(api_client, ws_user, shared):
    api_client.force_authenticate(ws_user)
    today = timezone.localdate()
    body = {
        "inburgeraar": shared.pk,
        "machtiging_date": today.isoformat(),
        "start_date": today.isoformat(),
        "planned_end": (today + timedelta(days=200)).isoformat(),
        "rent": True,
    }
    # Without a recorded bijstand there is no start to count from (art. 56a).
    response = api_client.post(f"{API}werksaam/ontzorgen/", body, format="json")
    assert response.status_code == 400 and "start_date" in response.json()["errors"]
    services.add_record(ws_user, shared, Benefit, start_date=today)
    body = {
        "inburgeraar": shared.pk,
        "machtiging_date": today.isoformat(),
        "start_date": today.isoformat(),
        "planned_end": (today + timedelta(days=100)).isoformat(),
        "rent": True,
    }
    response = api_client.post(f"{API}werksaam/ontzorgen/", body, format="json")
    assert response.status_code == 400 and "planned_end" in response.json()["errors"]
    body["planned_end"] = (today + timedelta(days=200)).isoformat()
    assert api_client.post(f"{API}werksaam/ontzorgen/", body, format="json").status_code == 201


def test_intake_api_never_has_health_fields(api_client, caseworker, ws_user, shared):
    from intake import services as intake_services

    intake = intake_services.plan_intake(caseworker, shared)
    for user in (caseworker, ws_user):
        api_client.force_authenticate(user)
        response = api_client.get(f"{API}intakes/{intake.pk}/")
        assert response.status_code == 200
        assert not {"physical_health", "mental_health", "personal_circumstances"} & set(
            response.json()
        )


def test_ending_a_share_gives_404_on_every_api_endpoint(api_client, caseworker, ws_user, shared):
    from intake import services as intake_services

    intake = intake_services.plan_intake(caseworker, shared)
    benefit = services.add_record(ws_user, shared, Benefit, start_date=timezone.localdate())
    share = Share.objects.get(inburgeraar=shared)
    details = [
        f"{API}inburgeraars/{shared.pk}/",
        f"{API}intakes/{intake.pk}/",
        f"{API}shares/{share.pk}/",
        f"{API}werksaam/bijstand/{benefit.pk}/",
    ]
    api_client.force_authenticate(ws_user)
    for url in details:
        assert api_client.get(url).status_code == 200, url
    services.end_share(caseworker, share, reason="Geen uitkering meer")
    for url in details:
        response = api_client.get(url)
        assert response.status_code == 404, url
        assert response["Content-Type"].startswith("application/problem+json")
    lists = [
        "inburgeraars/",
        "intakes/",
        "pips/",
        "shares/",
        *[f"werksaam/{name}/" for name in ("bijstand", "ontzorgen", "map", "activiteiten")],
    ]
    for url in lists:
        assert ids(api_client.get(API + url)) == set(), url
    response = api_client.patch(details[-1], {"end_date": None}, format="json")
    assert response.status_code == 404


def test_cursor_pagination_and_filters(api_client, caseworker, case_in, ws_user):
    cases = [case_in("hoorn") for _ in range(5)]
    for case in cases:
        services.start_share(caseworker, case, basis=Share.Basis.BENEFIT)
    services.end_share(caseworker, Share.objects.get(inburgeraar=cases[0]), reason="Klaar")
    api_client.force_authenticate(caseworker)
    first = api_client.get(f"{API}shares/?page_size=2").json()
    assert set(first) == {"next", "previous", "results"}
    assert len(first["results"]) == 2 and "cursor=" in first["next"]
    seen = [row["id"] for row in first["results"]]
    page = first
    while page["next"]:
        page = api_client.get(page["next"]).json()
        seen += [row["id"] for row in page["results"]]
    assert len(seen) == len(set(seen)) == 5
    active = ids(api_client.get(f"{API}shares/?active=true"))
    assert len(active) == 4
    only = ids(api_client.get(f"{API}shares/?inburgeraar={cases[1].pk}"))
    assert only == {Share.objects.get(inburgeraar=cases[1]).pk}


def test_not_found_is_problem_json(api_client, caseworker):
    api_client.force_authenticate(caseworker)
    response = api_client.get(f"{API}shares/999999/")
    assert response.status_code == 404
    assert response["Content-Type"].startswith("application/problem+json")
    assert response.json()["status"] == 404 and response.json()["title"] == "Not Found"


def test_problem_json_label_goes_only_with_a_json_body(client, api_client, caseworker):
    """Issue 16: the label says what the body is. The schema endpoint answers an anonymous caller
    in YAML and the browsable API in HTML: neither is application/problem+json."""
    schema = client.get("/api/schema/")
    assert schema.status_code in (401, 403)
    assert not schema["Content-Type"].startswith("application/problem+json")
    assert schema["Content-Type"].startswith("application/vnd.oai.openapi")
    assert yaml.safe_load(schema.content)["status"] == schema.status_code

    as_json = client.get("/api/schema/?format=json")
    assert as_json["Content-Type"] == "application/problem+json"
    assert as_json.json()["status"] == as_json.status_code

    api_client.force_authenticate(caseworker)
    page = api_client.get(f"{API}shares/999999/", HTTP_ACCEPT="text/html")
    assert page.status_code == 404
    assert page["Content-Type"].startswith("text/html")
    assert b"<html" in page.content

    plain = api_client.get(f"{API}shares/999999/", HTTP_ACCEPT="application/json")
    assert plain["Content-Type"] == "application/problem+json"
    assert plain.json()["status"] == 404


# --- the committed OpenAPI schema -------------------------------------------------------------------------


def test_committed_openapi_schema_is_current(tmp_path):
    """Regenerate with: .venv/bin/python manage.py spectacular --file openapi.yaml"""
    target = tmp_path / "openapi.yaml"
    call_command("spectacular", "--file", str(target), "--validate", stderr=io.StringIO())
    assert target.read_text() == SCHEMA_FILE.read_text(), (
        "openapi.yaml is out of date: run `.venv/bin/python manage.py spectacular --file openapi.yaml`"
    )


# --- schemathesis: no server error anywhere ---------------------------------------------------------------


def _schemathesis_schema():
    import schemathesis

    from westfriesland.wsgi import application

    schema = schemathesis.openapi.from_dict(yaml.safe_load(SCHEMA_FILE.read_text()))
    schema.app = application
    return schema


schema = _schemathesis_schema()


@pytest.fixture
def fuzz_token(member_of, caseworker_of, case_in):
    """A WerkSaam client with both scopes over a few shared cases with records."""
    caseworker = caseworker_of("hoorn")
    ws_user = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    for _ in range(3):
        case = case_in("hoorn")
        services.start_share(caseworker, case, basis=Share.Basis.BENEFIT)
        services.add_record(ws_user, case, Benefit, start_date=timezone.localdate())
    _client, token = api_services.create_api_client(
        None,
        organisation=organisation("werksaam"),
        name="Fuzz",
        scopes=[ApiScope.READ, ApiScope.WERKSAAM_WRITE],
    )
    return token


@pytest.fixture
def keep_test_connection():
    """Called through the WSGI app (not Django's test client), each request would close the
    database connection of the test transaction (close_old_connections) on PostgreSQL; the test
    client disconnects that handler too."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


@pytest.mark.slow
@pytest.mark.django_db(transaction=False)
@schema.parametrize()
@hypothesis_settings(
    max_examples=12,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
)
def test_schemathesis_finds_no_server_error(case, fuzz_token, keep_test_connection):
    response = case.call(headers={"Authorization": f"Bearer {fuzz_token}"})
    assert response.status_code < 500, (case.method, case.formatted_path, response.text[:500])


def test_deadlines_through_the_one_door(api_client, ws_user, shared, case_in, caseworker):
    from deadlines.models import Deadline

    other = case_in("hoorn")
    Deadline.objects.filter(inburgeraar__in=[shared, other]).delete()
    mine = DeadlineFactory(inburgeraar=shared, due_date=date(2026, 12, 1))
    hidden = DeadlineFactory(inburgeraar=other, due_date=date(2026, 12, 1))
    api_client.force_authenticate(ws_user)
    assert ids(api_client.get(f"{API}deadlines/")) == {mine.pk}
    assert api_client.get(f"{API}deadlines/{hidden.pk}/").status_code == 404
    api_client.force_authenticate(caseworker)
    assert {mine.pk, hidden.pk} <= ids(api_client.get(f"{API}deadlines/?due_before=2026-12-31"))


@pytest.mark.parametrize(
    ("slug", "role", "reads", "writes"),
    [
        ("hoorn", Role.KLANTMANAGER, True, False),
        ("hoorn", Role.TEAMLEIDER, True, False),
        ("hoorn", Role.BEHEERDER, True, False),
        ("hoorn", Role.AUDITOR, False, False),
        ("enkhuizen", Role.KLANTMANAGER, False, False),
        ("werksaam", Role.WERKSAAM_MEDEWERKER, True, True),
    ],
)
def test_record_api_per_role(api_client, member_of, ws_user, shared, slug, role, reads, writes):
    existing = services.add_record(ws_user, shared, Benefit, start_date=timezone.localdate())
    api_client.force_authenticate(member_of(slug, role))
    assert (ids(api_client.get(f"{API}werksaam/bijstand/")) == {existing.pk}) is reads
    assert (api_client.get(f"{API}inburgeraars/{shared.pk}/").status_code == 200) is reads
    response = api_client.post(
        f"{API}werksaam/bijstand/",
        {"inburgeraar": shared.pk, "start_date": timezone.localdate().isoformat()},
        format="json",
    )
    assert response.status_code == (201 if writes else 403)


def test_an_activity_name_is_not_blank_and_the_schema_says_so(api_client, shared):
    schema = yaml.safe_load(SCHEMA_FILE.read_text())
    assert schema["components"]["schemas"]["Activity"]["properties"]["name"]["minLength"] == 1
    client_for(api_client, "werksaam", [ApiScope.READ, ApiScope.WERKSAAM_WRITE])
    body = {**RECORD_BODIES["activiteiten"], "inburgeraar": shared.pk, "name": ""}
    response = api_client.post(f"{API}werksaam/activiteiten/", body, format="json")
    assert response.status_code == 400 and "name" in response.json()["errors"]
