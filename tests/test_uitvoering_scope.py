"""Issue 13: a language school gets 404 on every case it does not teach, enumerated from the URL
conf and the API router (no list kept by hand)."""

from datetime import date
from decimal import Decimal

import pytest
from django.urls import URLPattern, URLResolver, get_resolver

from api import services as api_services
from api.models import ApiScope
from municipalities.models import Role
from pip_plans.models import PipVersion
from uitvoering import services
from uitvoering.models import Attendance
from westfriesland.api_urls import router

from .uitvoering_helpers import adopted_case, enrolment, language_school, school_user

pytestmark = pytest.mark.django_db


def case_routes(resolver=None, prefix=""):
    """Every URL pattern of the site that names a case by `<int:pk>` (admin aside)."""
    resolver = resolver or get_resolver()
    for entry in resolver.url_patterns:
        route = prefix + str(entry.pattern)
        if isinstance(entry, URLResolver):
            if route.startswith(("admin/", "api/")):
                continue
            yield from case_routes(entry, route)
        elif isinstance(entry, URLPattern) and "<int:pk>" in route:
            yield route


def fill(route, values):
    path = "/" + route.lstrip("^").rstrip("$")
    for name, value in values.items():
        path = path.replace(f"<int:{name}>", str(value))
    return path.replace("<slug:tab>", "uitvoering")


@pytest.fixture
def world(caseworker_of, member_of, case_in):
    author = caseworker_of("hoorn")
    lead = member_of("hoorn", Role.TEAMLEIDER)
    taught = case_in("hoorn", caseworker=author, doelgroep="asielstatushouder")
    other = case_in("hoorn", caseworker=author, doelgroep="asielstatushouder")
    adopted_case(author, lead, taught)
    adopted_case(author, lead, other)
    school = language_school()
    other_school = language_school("brug", "Taalschool De Brug")
    enrolment(author, taught, school)
    foreign = enrolment(author, other, other_school)
    services.report_attendance(
        school_user(other_school),
        foreign,
        period_start=date(2026, 10, 1),
        period_end=date(2026, 10, 31),
        values={"hours_present": Decimal("40")},
    )
    services.record_review(
        author, other, values={"held_on": date(2026, 9, 1), "participants": "klantmanager"}
    )
    services.record_exam_result(
        author,
        other,
        values={"onderdeel": "knm", "exam_date": date(2027, 1, 5), "result": "behaald"},
    )
    verlenging = services.request_verlenging(
        author, other, grond="ziekte", requested_on=date(2028, 12, 11)
    )
    return {
        "author": author,
        "school": school,
        "teacher": school_user(school),
        "other": other,
        "values": {
            "pk": other.pk,
            "enrolment_pk": foreign.pk,
            "version_pk": PipVersion.objects.get(pip__inburgeraar=other).pk,
            "verlenging_pk": verlenging.pk,
            "document_pk": 1,
        },
    }


def test_every_case_url_answers_404_to_a_school_that_does_not_teach_the_case(client, world):
    routes = sorted(set(case_routes()))
    assert len(routes) > 25  # the enumeration found the dossier, intake, PIP, uitvoering, ...
    assert any("uitvoering/afronden" in r for r in routes)
    client.force_login(world["author"])
    assert client.get(fill("inburgeraars/<int:pk>/", world["values"])).status_code == 200
    client.force_login(world["teacher"])

    def answer(path):
        response = client.get(path)
        if response.status_code == 405:
            response = client.post(path, {})
        return response.status_code

    answers = {
        fill(route, world["values"]): answer(fill(route, world["values"])) for route in routes
    }
    not_404 = {path: code for path, code in answers.items() if code != 404}
    # WerkSaam's own case page refuses anyone who is not WerkSaam staff with 403 before it
    # looks at the case: the same answer for a case that does not exist, so it reveals nothing
    # (left as it is; see the issue 13 report).
    missing = {**world["values"], "pk": 999999}
    assert {
        path: code
        for path, code in not_404.items()
        if answer(path.replace(f"/{world['other'].pk}/", f"/{missing['pk']}/", 1)) != code
    } == {}
    assert set(not_404) <= {
        f"/werksaam/inburgeraars/{world['other'].pk}/",
        f"/werksaam/inburgeraars/{world['other'].pk}/bsn/",
    }


def test_every_api_endpoint_answers_404_for_a_case_the_school_does_not_teach(api_client, world):
    _client, token = api_services.create_api_client(
        None,
        organisation=world["school"],
        name="LVS",
        scopes=[ApiScope.READ, ApiScope.TAALSCHOOL_WRITE],
    )
    api_client.credentials(HTTP_AUTHORIZATION=f"Bearer {token}")
    other = world["other"]
    objects = {
        "inburgeraars": other.pk,
        "enrolments": world["values"]["enrolment_pk"],
        "attendance": Attendance.objects.get(enrolment__inburgeraar=other).pk,
        "exam-results": other.exam_results.get().pk,
        "progress-reviews": other.progress_reviews.get().pk,
        "pips": other.pip.pk,
        "intakes": other.intakes.get().pk,
    }
    prefixes = [prefix for prefix, _viewset, _basename in router.registry]
    assert {"enrolments", "attendance", "exam-results", "progress-reviews"} <= set(prefixes)
    for prefix in prefixes:
        listed = api_client.get(f"/api/v1/{prefix}/", {"inburgeraar": other.pk})
        assert listed.status_code == 200, prefix
        rows = listed.json()["results"]
        assert all(row.get("inburgeraar", row.get("id")) != other.pk for row in rows), prefix
        if prefix == "enrolments":
            assert all(row["id"] != objects["enrolments"] for row in rows)
        detail_url = f"/api/v1/{prefix}/{objects.get(prefix, other.pk)}/"
        assert api_client.get(detail_url).status_code == 404, prefix
        # Writing on it answers as for an object that does not exist: 404 where the endpoint
        # takes writes from a school, else 405 (no such method) or 403 (scope not held).
        for method in ("patch", "put", "delete"):
            send = getattr(api_client, method)
            code = send(detail_url, {}, format="json").status_code
            nothing = send(f"/api/v1/{prefix}/999999/", {}, format="json").status_code
            assert code == nothing and code in (403, 404, 405), (prefix, method, code)
        if prefix == "enrolments":
            assert api_client.patch(detail_url, {}, format="json").status_code == 404
    # Reporting attendance on an enrolment it does not teach: 404, nothing saved.
    reported = api_client.post(
        "/api/v1/attendance/",
        {
            "enrolment": objects["enrolments"],
            "period_start": "2026-11-01",
            "period_end": "2026-11-30",
            "hours_present": "4",
        },
        format="json",
    )
    assert reported.status_code == 404
    assert Attendance.objects.filter(enrolment__inburgeraar=other).count() == 1
