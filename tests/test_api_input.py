"""Issue 16 (schemathesis findings): the API refuses what its schema does not allow, accepts what
it allows, and declares its problem responses on every operation."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings

from municipalities.models import Role

pytestmark = pytest.mark.django_db

API = "/api/v1/"
SCHEMA = yaml.safe_load((Path(settings.BASE_DIR) / "openapi.yaml").read_text())


@pytest.fixture
def ws_client(api_client, member_of):
    api_client.force_authenticate(member_of("werksaam", Role.WERKSAAM_MEDEWERKER))
    return api_client


@pytest.mark.parametrize("value", ["", "null", "0", "-1", "201", "abc", "99999999999999999999"])
def test_a_bad_page_size_is_a_400_problem(ws_client, value):
    response = ws_client.get(f"{API}shares/", {"page_size": value})
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert "page_size" in response.json()["errors"]


def test_a_good_page_size_is_taken(ws_client):
    assert ws_client.get(f"{API}shares/", {"page_size": "200"}).status_code == 200


@pytest.mark.parametrize("value", ["-1", "2", "ja", "null"])
def test_a_boolean_filter_takes_true_or_false_only(ws_client, value):
    assert ws_client.get(f"{API}shares/", {"active": value}).status_code == 400
    assert ws_client.get(f"{API}shares/", {"active": "true"}).status_code == 200
    assert ws_client.get(f"{API}shares/", {"active": "false"}).status_code == 200


@pytest.mark.parametrize("endpoint", ["shares/", "werksaam/bijstand/", "deadlines/", "pips/"])
def test_an_id_filter_takes_any_integer_and_refuses_the_rest(ws_client, endpoint):
    zero = ws_client.get(f"{API}{endpoint}", {"inburgeraar": "0"})
    assert zero.status_code == 200 and zero.json()["results"] == []
    assert ws_client.get(f"{API}{endpoint}", {"inburgeraar": "x"}).status_code == 400
    huge = ws_client.get(f"{API}{endpoint}", {"inburgeraar": "99999999999999999999"})
    assert huge.status_code == 400


@pytest.mark.parametrize(
    ("endpoint", "parameter"),
    [
        ("deadlines/", "due_before"),
        ("deadlines/", "kind"),
        ("deadlines/", "inburgeraar"),
        ("shares/", "active"),
    ],
)
def test_a_filter_given_empty_is_a_400_not_ignored(ws_client, endpoint, parameter):
    """`?due_before=` is not a date (nor `?kind=` a choice, `?active=` a boolean): the schema
    refuses it, so the API does too (django-filter dropped the filter and answered 200)."""
    response = ws_client.get(f"{API}{endpoint}?{parameter}=")
    assert response.status_code == 400
    assert response["Content-Type"] == "application/problem+json"
    assert parameter in response.json()["errors"]


@pytest.mark.parametrize("path", ["deadlines/-2.2e-309/", "inburgeraars/a-b.c-d/", "nothing/here/"])
def test_an_address_no_endpoint_matches_is_a_404_problem(ws_client, api_client, path):
    response = ws_client.get(f"{API}{path}")
    assert response.status_code == 404
    assert response["Content-Type"] == "application/problem+json"
    assert response.json()["status"] == 404
    api_client.force_authenticate(None)
    assert api_client.get(f"{API}{path}").status_code == 401  # as on every endpoint


def test_an_empty_page_number_is_a_400(ws_client):
    response = ws_client.get(f"{API}inburgeraars/?page=")
    assert response.status_code == 400
    assert "page" in response.json()["errors"]
    assert ws_client.get(f"{API}inburgeraars/?page=1").status_code == 200


def test_every_operation_declares_its_problem_responses():
    assert "Problem" in SCHEMA["components"]["schemas"]
    for path, operations in SCHEMA["paths"].items():
        for method, operation in operations.items():
            for status in ("400", "401", "403", "404"):
                content = operation["responses"][status]["content"]
                assert content["application/problem+json"]["schema"] == {
                    "$ref": "#/components/schemas/Problem"
                }, (method, path, status)


def test_the_schema_bounds_page_size_and_ids():
    parameters = {p["name"]: p for p in SCHEMA["paths"]["/api/v1/shares/"]["get"]["parameters"]}
    assert parameters["page_size"]["schema"] == {"type": "integer", "minimum": 1, "maximum": 200}
    assert parameters["inburgeraar"]["schema"]["maximum"] == 2**63 - 1
    assert parameters["active"]["schema"] == {"type": "boolean"}
