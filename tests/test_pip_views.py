"""The PIP pages: the tab, saving a draft, submitting, four-eyes adoption, comparing versions."""

from datetime import date

import pytest
from django.test import Client
from django.urls import reverse

from municipalities.models import Role
from pip_plans import services
from pip_plans.models import PipStatus, PipVersion

from .pip_helpers import draft_for


@pytest.fixture
def author(caseworker_of):
    return caseworker_of("hoorn")


@pytest.fixture
def lead(member_of):
    return member_of("hoorn", Role.TEAMLEIDER)


@pytest.fixture
def case(case_in, author):
    return case_in(
        "hoorn", date_of_birth=date(1985, 3, 3), doelgroep="asielstatushouder", caseworker=author
    )


def client_for(user):
    client = Client()
    client.force_login(user)
    return client


def form_data(version, **overrides):
    from pip_plans.forms import PipDraftForm

    form = PipDraftForm(instance=version, prefix="pip")
    data = {}
    for name, field in form.fields.items():
        value = form.initial.get(name, field.initial)
        if value is None or value is False:
            continue
        data[f"pip-{name}"] = value.pk if hasattr(value, "pk") else value
    data["pip-version"] = version.version
    data.update({f"pip-{k}": v for k, v in overrides.items()})
    return data


def test_pip_tab_shows_deadline_draft_and_rule_messages(author, case):
    version = draft_for(author, case)
    PipVersion.objects.filter(pk=version.pk).update(pvt_hours=5)
    body = client_for(author).get(reverse("case-tab", args=[case.pk, "pip"])).content.decode()
    assert "Wettelijke termijn voor het PIP" in body and 'id="pip-deadline"' in body
    assert "Ter vaststelling aanbieden" in body
    assert "ten minste 12 uur" in body  # the PVT rule message beside its field


def test_save_draft_through_the_page(author, case):
    version = draft_for(author, case)
    response = client_for(author).post(
        reverse("pip_plans:save", args=[case.pk, version.pk]),
        form_data(version, map_hours=60, hoofddoel="werk"),
    )
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.map_hours == 60 and version.hoofddoel == "werk"


def test_stale_draft_form_is_refused(author, case, caseworker_of):
    version = draft_for(author, case)
    data = form_data(version, map_hours=70)
    services.save_draft(
        caseworker_of("hoorn"), version, expected_version=version.version, values={"map_hours": 50}
    )
    client = client_for(author)
    client.post(reverse("pip_plans:save", args=[case.pk, version.pk]), data)
    assert PipVersion.objects.get(pk=version.pk).map_hours == 50


def test_submit_adopt_through_pages_with_four_eyes(author, lead, case):
    version = draft_for(author, case)
    client_for(author).post(reverse("pip_plans:submit", args=[case.pk, version.pk]))
    assert PipVersion.objects.get(pk=version.pk).status == PipStatus.TER_VASTSTELLING
    # the author sees no adopt button and cannot adopt by posting
    body = client_for(author).get(reverse("case-tab", args=[case.pk, "pip"])).content.decode()
    assert "PIP vaststellen</button>" not in body
    client_for(author).post(reverse("pip_plans:adopt", args=[case.pk, version.pk]))
    assert PipVersion.objects.get(pk=version.pk).status == PipStatus.TER_VASTSTELLING
    # the lead sees it on the home page and adopts
    lead_client = client_for(lead)
    assert case.full_name in lead_client.get(reverse("home")).content.decode()
    assert (
        "PIP vaststellen</button>"
        in lead_client.get(reverse("case-tab", args=[case.pk, "pip"])).content.decode()
    )
    lead_client.post(reverse("pip_plans:adopt", args=[case.pk, version.pk]), {"bevestigd": "ja"})
    assert PipVersion.objects.get(pk=version.pk).status == PipStatus.VASTGESTELD


def test_return_with_comment_through_the_page(author, lead, case):
    version = services.submit(author, draft_for(author, case))
    client_for(lead).post(
        reverse("pip_plans:return", args=[case.pk, version.pk]), {"terug-comment": "Meer MAP-uren"}
    )
    version.refresh_from_db()
    assert version.status == PipStatus.CONCEPT and version.return_comment == "Meer MAP-uren"
    assert (
        "Meer MAP-uren"
        in client_for(author).get(reverse("case-tab", args=[case.pk, "pip"])).content.decode()
    )


def test_adopted_version_cannot_be_saved_through_the_page(author, lead, case):
    version = services.adopt(lead, services.submit(author, draft_for(author, case)))
    client_for(author).post(
        reverse("pip_plans:save", args=[case.pk, version.pk]), form_data(version, map_hours=99)
    )
    assert PipVersion.objects.get(pk=version.pk).map_hours == 40


def test_new_version_and_compare_page(author, lead, case):
    first = services.adopt(lead, services.submit(author, draft_for(author, case)))
    client = client_for(author)
    client.post(
        reverse("pip_plans:new-version", args=[case.pk]),
        {"reason": "afschalen", "reason_text": "Na 650 uur"},
    )
    second = PipVersion.objects.get(pip=first.pip, number=2)
    services.save_draft(
        author,
        second,
        expected_version=second.version,
        values={"level_spreken": "A2", "course_hours_followed": 650},
    )
    body = client.get(
        reverse("pip_plans:compare", args=[case.pk]), {"links": 1, "rechts": 2}
    ).content.decode()
    assert "app-changed" in body and "A2" in body


@pytest.mark.parametrize(
    "name", ["pip_plans:save", "pip_plans:submit", "pip_plans:adopt", "pip_plans:return"]
)
def test_other_municipality_gets_404(author, case, member_of, name):
    version = draft_for(author, case)
    client = client_for(member_of("enkhuizen", Role.TEAMLEIDER))
    assert client.post(reverse(name, args=[case.pk, version.pk])).status_code == 404
    assert client.get(reverse("pip_plans:compare", args=[case.pk])).status_code == 404
    assert client.get(reverse("case-tab", args=[case.pk, "pip"])).status_code == 404


def test_a_submitted_version_can_be_withdrawn_to_concept(author, case, member_of):
    version = services.submit(author, draft_for(author, case))
    author_client = client_for(author)
    body = author_client.get(reverse("case-tab", args=[case.pk, "pip"])).content.decode()
    assert "Terugnemen om te wijzigen" in body
    author_client.post(reverse("pip_plans:withdraw", args=[case.pk, version.pk]))
    assert PipVersion.objects.get(pk=version.pk).status == PipStatus.CONCEPT
    outsider = client_for(member_of("enkhuizen", Role.TEAMLEIDER))
    version = services.submit(author, PipVersion.objects.get(pk=version.pk))
    assert (
        outsider.post(reverse("pip_plans:withdraw", args=[case.pk, version.pk])).status_code == 404
    )
    assert PipVersion.objects.get(pk=version.pk).status == PipStatus.TER_VASTSTELLING


# --- issue 12: never lose what was typed; decisions with their weight ----------------------------


def test_submitting_saves_the_unsaved_edits_first(author, case):
    """'Ter vaststelling aanbieden' is a button of the draft's form: a taalschool chosen and not
    yet saved is saved, then the version is submitted."""
    from tests.factories import LanguageSchoolFactory

    version = draft_for(author, case)
    school = LanguageSchoolFactory(name="Taalschool Ongezien")
    PipVersion.objects.filter(pk=version.pk).update(language_school=None)
    version.refresh_from_db()
    data = form_data(version, language_school=school.pk, map_hours=55)
    data["aanbieden"] = "1"
    response = client_for(author).post(reverse("pip_plans:save", args=[case.pk, version.pk]), data)
    assert response.status_code == 302
    version.refresh_from_db()
    assert version.language_school == school and version.map_hours == 55
    assert version.status == PipStatus.TER_VASTSTELLING


def test_a_blocked_submission_keeps_what_was_typed(author, case):
    version = draft_for(author, case)
    data = form_data(version, map_hours=61, pvt_hours=5)  # PVT below 12 hours blocks
    data["aanbieden"] = "1"
    client = client_for(author)
    client.post(reverse("pip_plans:save", args=[case.pk, version.pk]), data)
    version.refresh_from_db()
    assert version.status == PipStatus.CONCEPT
    assert (version.map_hours, version.pvt_hours) == (61, 5)
    body = client.get(reverse("case-tab", args=[case.pk, "pip"])).content.decode()
    assert "ten minste 12 uur" in body


def test_adopting_asks_for_confirmation_first(author, lead, case):
    version = services.submit(author, draft_for(author, case))
    client = client_for(lead)
    url = reverse("pip_plans:adopt", args=[case.pk, version.pk])
    page = client.get(url)
    body = page.content.decode()
    assert page.status_code == 200 and "kan niet ongedaan worden gemaakt" in body
    assert reverse("pip_plans:concept-beschikking", args=[case.pk, version.pk]) in body
    assert 'name="bevestigd" value="ja"' in body
    # A POST without the confirmation (an old form, a double click) only shows the question.
    assert client.post(url).status_code == 200
    assert PipVersion.objects.get(pk=version.pk).status == PipStatus.TER_VASTSTELLING
    client.post(url, {"bevestigd": "ja"})
    assert PipVersion.objects.get(pk=version.pk).status == PipStatus.VASTGESTELD
    # The author cannot adopt, confirmed or not.
    other = services.new_version(author, version.pip, reason="overig")
    other = services.submit(author, other)
    client_for(author).post(
        reverse("pip_plans:adopt", args=[case.pk, other.pk]), {"bevestigd": "ja"}
    )
    assert PipVersion.objects.get(pk=other.pk).status == PipStatus.TER_VASTSTELLING


def test_concept_beschikking_is_marked_concept_and_never_stored(
    author, lead, case, tmp_path, member_of
):
    from pip_plans.models import PipDocument
    from tests.letter_helpers import pdf_text

    version = services.submit(author, draft_for(author, case))
    response = client_for(lead).get(
        reverse("pip_plans:concept-beschikking", args=[case.pk, version.pk])
    )
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    path = tmp_path / "concept.pdf"
    path.write_bytes(response.content)
    text = pdf_text(path)
    assert "CONCEPT" in text and "nog niet vastgesteld" in text and case.full_name in text
    version.refresh_from_db()
    assert version.status == PipStatus.TER_VASTSTELLING and version.dagtekening is None
    assert not PipDocument.objects.exists()
    assert version.pip.dagtekening_initiele_pip is None
    # Outside the municipality: 404, as every case URL.
    outsider = client_for(member_of("enkhuizen", Role.TEAMLEIDER))
    url = reverse("pip_plans:concept-beschikking", args=[case.pk, version.pk])
    assert outsider.get(url).status_code == 404


def test_documents_block_polls_until_the_pdfs_are_made(author, lead, case):
    from unittest import mock

    from pip_plans.documents import generate_documents
    from pip_plans.models import PipDocument

    version = services.submit(author, draft_for(author, case))
    # Adopted with the PDF task not run yet (a worker that has not got to it).
    with mock.patch("pip_plans.receivers.generate_pip_documents.delay"):
        services.adopt(lead, version)
    client = client_for(author)
    url = reverse("pip_plans:documents", args=[case.pk])
    tab = client.get(reverse("case-tab", args=[case.pk, "pip"])).content.decode()
    assert f'hx-get="{url}"' in tab and 'hx-trigger="every 2s"' in tab
    pending = client.get(url).content.decode()
    assert 'hx-trigger="every 2s"' in pending and "Beschikking" not in pending
    generate_documents(version.pk)
    assert PipDocument.objects.filter(version=version).exists()
    ready = client.get(url).content.decode()
    assert "hx-trigger" not in ready and "Beschikking met plan" in ready


def test_werksaam_gets_no_concept_beschikking(author, case, member_of):
    """A reader of a shared case does not get the draft decision letter (404)."""
    from werksaam_bridge import services as share_services
    from werksaam_bridge.models import Share

    version = draft_for(author, case)
    share_services.start_share(author, case, basis=Share.Basis.BENEFIT)
    werksaam = client_for(member_of("werksaam", Role.WERKSAAM_MEDEWERKER))
    # WerkSaam reads the shared case in its own view (issue 11 point 3), never the dossier.
    assert werksaam.get(reverse("werksaam_bridge:case", args=[case.pk])).status_code == 200
    url = reverse("pip_plans:concept-beschikking", args=[case.pk, version.pk])
    assert werksaam.get(url).status_code == 404
