"""The PIP (issue 4): drafting from the intake, rules, four-eyes adoption, immutability, versions."""

from datetime import date

import pytest
from django.core.exceptions import PermissionDenied, ValidationError
from django.db import connection
from django.http import Http404

from audit.models import AuditEntry
from cases.models import CaseStatus
from intake import rules as intake_rules
from municipalities.models import Role
from pip_plans import rules, services
from pip_plans.models import AdoptedPipIsImmutable, Pip, PipStatus, PipVersion

from .pip_helpers import draft_for, school


@pytest.fixture
def author(caseworker_of):
    return caseworker_of("hoorn")


@pytest.fixture
def lead(member_of):
    return member_of("hoorn", Role.TEAMLEIDER)


@pytest.fixture
def case(case_in):
    return case_in("hoorn", date_of_birth=date(1985, 3, 3), doelgroep="asielstatushouder")


def save(user, version, **values):
    return services.save_draft(user, version, expected_version=version.version, values=values)


def adopted(author, lead, case, **kwargs):
    version = draft_for(author, case)
    version = services.submit(author, version)
    return services.adopt(lead, version, **kwargs)


# --- drafting --------------------------------------------------------------------------------------


def test_completed_intake_opens_prefilled_draft(author, case):
    version = draft_for(author, case)
    assert version.number == 1 and version.status == PipStatus.CONCEPT
    assert version.route == "B1" and version.advised_route == "B1"
    assert version.levels() == {
        "lezen": "B1",
        "luisteren": "B1",
        "schrijven": "B1",
        "spreken": "B1",
    }
    assert version.maatschappelijke_begeleiding is True  # asielstatushouder
    assert version.map_hours == 40 and version.pvt_hours == 12


# --- rules -----------------------------------------------------------------------------------------


def blocking(version):
    return rules.blocking_messages(services.check_version(version))


def test_z_route_hours_for_statushouders_and_others(author, case, case_in):
    version = save(
        author,
        draft_for(author, case),
        route="Z",
        route_reason="Laag leerbaar",
        level_lezen="A1",
        level_luisteren="A1",
        level_schrijven="A1",
        level_spreken="A1",
        z_hours_language=800,
        z_hours_participation=0,
    )
    assert "z_hours_participation" in blocking(version)
    version = save(author, version, z_hours_participation=800)
    assert blocking(version) == {}
    other = case_in("hoorn", doelgroep="gezinsmigrant", date_of_birth=date(1980, 1, 1))
    version = save(
        author,
        draft_for(author, other),
        route="Z",
        route_reason="x",
        level_lezen="A1",
        level_luisteren="A1",
        level_schrijven="A1",
        level_spreken="A1",
        z_hours_language=800,
        maatschappelijke_begeleiding=False,
    )
    assert blocking(version) == {}
    version = save(author, version, z_hours_language=799)
    assert "z_hours_language" in blocking(version)


def test_afschalen_only_after_600_hours_at_certified_school(author, case):
    version = save(author, draft_for(author, case), level_schrijven="A2", course_hours_followed=599)
    assert "600" in " ".join(blocking(version)["level_schrijven"])
    version = save(author, version, course_hours_followed=600)
    assert blocking(version) == {}
    version = save(author, version, language_school=school(certified=False))
    assert "level_schrijven" in blocking(version)


def test_onderwijsroute_has_no_map_and_warns_above_28(author, case):
    version = save(author, draft_for(author, case), route="ONDERWIJS", route_reason="Wil studeren")
    problems = blocking(version)
    assert "map_hours" in problems and "age_reason" in problems
    version = save(
        author,
        version,
        map_hours=None,
        age_reason="Heeft een afgeronde bachelor en wil een master doen.",
    )
    assert blocking(version) == {}


def test_deviation_from_advice_needs_reason(author, case):
    version = save(
        author,
        draft_for(author, case),
        route="Z",
        level_lezen="A1",
        level_luisteren="A1",
        level_schrijven="A1",
        level_spreken="A1",
        z_hours_language=800,
        z_hours_participation=800,
    )
    assert "route_reason" in blocking(version)
    version = save(author, version, route_reason="Analfabeet")
    assert blocking(version) == {}


def test_levels_must_fit_the_route(author, case):
    version = save(author, draft_for(author, case), level_lezen="A1")
    assert "level_lezen" in blocking(version)


def test_unburdening_only_for_statushouders_with_costs(author, case, case_in):
    version = save(author, draft_for(author, case), unburdening=True)
    assert "unburdening" in blocking(version)
    version = save(author, version, unburdening_rent=True)
    assert blocking(version) == {}
    other = case_in("hoorn", doelgroep="overige_migrant", date_of_birth=date(1980, 1, 1))
    version = save(author, draft_for(author, other), unburdening=True, unburdening_rent=True)
    assert "unburdening" in blocking(version)


def test_submit_refuses_while_rules_block(author, case):
    version = save(author, draft_for(author, case), pvt_hours=5)
    with pytest.raises(ValidationError) as error:
        services.submit(author, version)
    assert "pvt_hours" in error.value.message_dict
    assert PipVersion.objects.get(pk=version.pk).status == PipStatus.CONCEPT


# --- four eyes -------------------------------------------------------------------------------------


def test_author_cannot_adopt_even_as_team_lead(author, case, member_of):
    member_of("hoorn", Role.TEAMLEIDER, user=author)
    version = services.submit(author, draft_for(author, case))
    with pytest.raises(PermissionDenied):
        services.adopt(author, version)


def test_caseworker_and_other_municipalitys_lead_cannot_adopt(
    author, case, caseworker_of, member_of
):
    version = services.submit(author, draft_for(author, case))
    with pytest.raises(PermissionDenied):
        services.adopt(caseworker_of("hoorn"), version)
    with pytest.raises(Http404):
        services.adopt(member_of("enkhuizen", Role.TEAMLEIDER), version)


def test_return_with_comment(author, lead, case):
    version = services.submit(author, draft_for(author, case))
    with pytest.raises(ValidationError):
        services.return_with_comment(lead, version, comment="")
    version = services.return_with_comment(lead, version, comment="MAP-uren verhogen")
    assert version.status == PipStatus.CONCEPT and version.return_comment == "MAP-uren verhogen"


def test_adoption_sets_dates_and_termijn(author, lead, case):
    version = adopted(author, lead, case, dagtekening=date(2026, 3, 2))
    pip = Pip.objects.get(inburgeraar=case)
    assert version.dagtekening == date(2026, 3, 2)
    assert pip.dagtekening_initiele_pip == date(2026, 3, 2)
    assert pip.termijn_start == date(2026, 3, 3)
    assert pip.termijn_end == date(2029, 3, 2)  # the dagtekening three years on
    assert version.bezwaar_deadline == date(2026, 4, 13)
    assert version.course_start_deadline == date(2026, 6, 2)
    case.refresh_from_db()
    assert case.status == CaseStatus.UITVOERING
    assert AuditEntry.objects.filter(
        object_type="pip_plans.pipversion",
        object_id=str(version.pk),
        changes__status=["ter_vaststelling", "vastgesteld"],
    ).exists()


def test_course_start_deadline_six_months_for_onderwijsroute():
    assert rules.course_start_deadline(date(2026, 8, 31), "ONDERWIJS") == date(2027, 2, 28)
    assert rules.course_start_deadline(date(2026, 11, 30), "B1") == date(2027, 2, 28)


def test_termijn_from_leap_day():
    assert rules.termijn(date(2028, 2, 28)) == (date(2028, 2, 29), date(2031, 2, 28))


def test_pip_deadline_with_third_party_extension():
    assert intake_rules.pip_deadline(kennisgeving=date(2026, 1, 5), brp=None) == date(2026, 3, 16)
    assert intake_rules.pip_deadline(kennisgeving=date(2026, 1, 5), brp=date(2026, 1, 19)) == date(
        2026, 3, 30
    )
    assert intake_rules.pip_deadline(
        kennisgeving=date(2026, 1, 5), brp=None, third_party_received=date(2026, 3, 10)
    ) == date(2026, 3, 24)


# --- immutability ----------------------------------------------------------------------------------


def test_adopted_version_cannot_change_by_any_orm_path(author, lead, case):
    version = adopted(author, lead, case)
    version.route = "Z"
    with pytest.raises(AdoptedPipIsImmutable):
        version.save()
    with pytest.raises(AdoptedPipIsImmutable):
        PipVersion.objects.filter(pk=version.pk).update(route="Z")
    with pytest.raises(AdoptedPipIsImmutable):
        PipVersion.objects.filter(pk=version.pk).delete()
    with pytest.raises(ValidationError):
        services.save_draft(
            author, version, expected_version=version.version, values={"route": "Z"}
        )
    assert PipVersion.objects.get(pk=version.pk).route == "B1"


def test_adopted_version_cannot_change_in_the_database(author, lead, case):
    if connection.vendor != "postgresql":
        pytest.skip("the trigger exists on PostgreSQL only")
    from django.db import DatabaseError, transaction

    version = adopted(author, lead, case)
    with pytest.raises(DatabaseError), transaction.atomic(), connection.cursor() as cursor:
        cursor.execute("UPDATE pip_plans_pipversion SET route = 'Z' WHERE id = %s", [version.pk])


# --- versions --------------------------------------------------------------------------------------


def test_new_version_keeps_the_termijn(author, lead, case):
    first = adopted(author, lead, case, dagtekening=date(2026, 3, 2))
    pip = Pip.objects.get(inburgeraar=case)
    with pytest.raises(ValidationError):
        services.new_version(author, pip, reason="eerste")
    second = services.new_version(author, pip, reason="afschalen", reason_text="600 uur gevolgd")
    assert second.number == 2 and second.route == first.route
    second = save(author, second, level_schrijven="A2", course_hours_followed=650)
    second = services.submit(author, second)
    second = services.adopt(lead, second, dagtekening=date(2026, 12, 1))
    pip.refresh_from_db()
    assert pip.dagtekening_initiele_pip == date(2026, 3, 2)
    assert pip.termijn_start == date(2026, 3, 3) and pip.termijn_end == date(2029, 3, 2)
    rows = {row["label"]: row for row in services.compare(first, second)}
    assert rows["niveau schrijven"]["changed"] and rows["niveau schrijven"]["right"] == "A2"
    assert not rows["niveau lezen"]["changed"]


def test_schakelen_only_within_18_months_except_onderwijs_to_b1(author, lead, case):
    adopted(author, lead, case, dagtekening=date(2024, 1, 10))
    pip = Pip.objects.get(inburgeraar=case)
    version = services.new_version(author, pip, reason="schakelen")
    version = save(
        author,
        version,
        route="Z",
        route_reason="x",
        level_lezen="A1",
        level_luisteren="A1",
        level_schrijven="A1",
        level_spreken="A1",
        z_hours_language=800,
        z_hours_participation=800,
    )
    within = services.check_version(version, on=date(2025, 7, 10))
    assert "route" not in within.errors
    after = services.check_version(version, on=date(2025, 7, 11))
    assert "anderhalf jaar" in " ".join(after.errors["route"])


def test_onderwijs_to_b1_always_allowed():
    class V:
        route = "B1"

    class Prev:
        route = "ONDERWIJS"

    result = rules.RuleResult()
    rules._check_switch(V, Prev, date(2020, 1, 1), result, on=date(2026, 1, 1))
    assert result.errors == {}


def test_admin_cannot_change_a_pip_version(author, lead, case, member_of, client):
    version = adopted(author, lead, case)
    beheerder = member_of("hoorn", Role.BEHEERDER)
    client.force_login(beheerder)
    url = f"/admin/pip_plans/pipversion/{version.pk}/change/"
    response = client.get(url)
    assert response.status_code == 200  # viewable
    client.post(url, {"route": "Z"})
    assert PipVersion.objects.get(pk=version.pk).route == "B1"
    other = member_of("enkhuizen", Role.BEHEERDER)
    client.force_login(other)
    assert client.get(url).status_code in (302, 404)


def test_reason_of_a_new_version_must_fit_its_content(author, lead, case):
    adopted(author, lead, case, dagtekening=date(2026, 3, 2))
    pip = Pip.objects.get(inburgeraar=case)
    version = services.new_version(author, pip, reason="afschalen")
    assert "reason_text" in blocking(version)  # afschalen without any part lowered to A2
    version = save(author, version, level_spreken="A2", course_hours_followed=650)
    assert blocking(version) == {}
    version = save(
        author,
        version,
        route="Z",
        level_lezen="A1",
        level_luisteren="A1",
        level_schrijven="A1",
        level_spreken="A1",
        z_hours_language=800,
        z_hours_participation=800,
        route_reason="x",
    )
    problems = blocking(version)
    assert "schakelen" in " ".join(problems["route"]).lower()


def test_z_hours_only_in_the_z_route_and_level_messages_name_the_part(author, case):
    version = save(author, draft_for(author, case), z_hours_language=800, level_lezen="A1")
    problems = blocking(version)
    assert "z_hours_language" in problems
    assert problems["level_lezen"][0].startswith("Lezen:")
