"""The PIP PDFs (issue 4): generated after adoption, idempotent, stored with SHA-256, downloaded
through the one door and audited."""

import hashlib
import subprocess
from datetime import date
from pathlib import Path

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm
from weasyprint import HTML
from weasyprint.urls import FatalURLFetchingError

from audit.models import AuditEntry
from common import pdf as pdf_engine
from municipalities.models import Role
from pip_plans import documents, services
from pip_plans.models import PipDocument, PipVersion
from pip_plans.tasks import generate_missing_pip_documents, generate_pip_documents

from .factories import organisation
from .pip_helpers import draft_for

KINDS = {"beschikking", "samenvatting_nl", "samenvatting_en"}


@pytest.fixture(autouse=True)
def media_and_eager_celery(settings, tmp_path):
    """Files in a temporary MEDIA_ROOT; Celery eager even when REDIS_URL is set (PostgreSQL run)."""
    from westfriesland.celery import app

    settings.MEDIA_ROOT = tmp_path / "media"
    previous = app.conf.task_always_eager
    app.conf.task_always_eager = True
    yield
    app.conf.task_always_eager = previous


@pytest.fixture
def author(caseworker_of):
    return caseworker_of("hoorn", first_name="Sanne", last_name="de Vries")


@pytest.fixture
def lead(member_of):
    return member_of("hoorn", Role.TEAMLEIDER, first_name="Marieke", last_name="van der Meer")


@pytest.fixture
def case(case_in):
    return case_in(
        "hoorn",
        first_names="Ayşe",
        surname="Öztürk",
        gender="v",
        date_of_birth=date(1990, 4, 21),
        doelgroep="asielstatushouder",
        v_nummer="3098765432",
    )


def adopt(author, lead, case, on_commit, *, run_callbacks=True):
    version = services.submit(author, draft_for(author, case))
    with on_commit(execute=run_callbacks):
        version = services.adopt(lead, version, dagtekening=date(2026, 3, 2))
    return version


@pytest.fixture
def adopted(author, lead, case, django_capture_on_commit_callbacks):
    return adopt(author, lead, case, django_capture_on_commit_callbacks)


def text_of(document: PipDocument) -> str:
    result = subprocess.run(
        ["pdftotext", "-layout", document.file.path, "-"],
        capture_output=True,
        check=True,
        text=True,
    )
    return result.stdout


def pdfinfo(document: PipDocument) -> str:
    return subprocess.run(
        ["pdfinfo", document.file.path], capture_output=True, check=True, text=True
    ).stdout


def document(version, kind) -> PipDocument:
    return PipDocument.objects.get(version=version, kind=kind)


def download_url(case, doc) -> str:
    return reverse("pip_plans:document-download", args=[case.pk, doc.pk])


# --- generation ------------------------------------------------------------------------------------


def test_adoption_creates_exactly_three_stored_documents(adopted):
    docs = list(PipDocument.objects.filter(version=adopted))
    assert {doc.kind for doc in docs} == KINDS and len(docs) == 3
    for doc in docs:
        data = Path(doc.file.path).read_bytes()
        assert data.startswith(b"%PDF-")
        assert doc.sha256 == hashlib.sha256(data).hexdigest()
        assert doc.size == len(data)
        assert doc.render_seconds > 0
        assert doc.file.name.startswith("pip/")


def test_a_retry_makes_no_second_document(adopted):
    before = dict(PipDocument.objects.filter(version=adopted).values_list("kind", "sha256"))
    assert generate_pip_documents.delay(adopted.pk).get() == []
    generate_pip_documents.apply(args=[adopted.pk])
    after = dict(PipDocument.objects.filter(version=adopted).values_list("kind", "sha256"))
    assert after == before and len(after) == 3


def test_losing_a_race_keeps_the_winner_and_deletes_the_orphan_file(adopted, settings):
    media = Path(settings.MEDIA_ROOT)
    files_before = sorted(p for p in media.rglob("*.pdf"))
    version = PipVersion.objects.get(pk=adopted.pk)
    assert documents._create(version, PipDocument.Kind.BESCHIKKING) is None
    assert PipDocument.objects.filter(version=adopted).count() == 3
    assert sorted(p for p in media.rglob("*.pdf")) == files_before


def test_no_documents_for_a_version_that_is_not_adopted(author, case):
    version = draft_for(author, case)
    assert documents.generate_documents(version.pk) == []
    assert not PipDocument.objects.exists()


def test_the_sweep_queues_a_version_missing_documents(
    author, lead, case, django_capture_on_commit_callbacks
):
    # The worker "crashed": adoption committed, but its callback never ran.
    version = adopt(author, lead, case, django_capture_on_commit_callbacks, run_callbacks=False)
    assert not PipDocument.objects.filter(version=version).exists()
    # Within the grace period the sweep leaves it to the task that adoption queued.
    assert generate_missing_pip_documents(grace_minutes=10) == []
    assert generate_missing_pip_documents(grace_minutes=0) == [version.pk]
    assert set(PipDocument.objects.filter(version=version).values_list("kind", flat=True)) == KINDS
    # One kind lost (a half-finished run): the sweep finds that too, and only that is remade.
    kept = dict(PipDocument.objects.filter(version=version).values_list("kind", "sha256"))
    PipDocument.objects.filter(version=version, kind="samenvatting_en").delete()
    assert generate_missing_pip_documents(grace_minutes=0) == [version.pk]
    again = dict(PipDocument.objects.filter(version=version).values_list("kind", "sha256"))
    assert again["beschikking"] == kept["beschikking"] and set(again) == KINDS
    assert generate_missing_pip_documents(grace_minutes=0) == []


def test_the_sweep_is_in_the_beat_schedule(settings):
    entries = [entry["task"] for entry in settings.CELERY_BEAT_SCHEDULE.values()]
    assert "pip_plans.tasks.generate_missing_pip_documents" in entries


# --- content ---------------------------------------------------------------------------------------


def test_beschikking_reads_back_with_name_route_dates_and_clauses(adopted, lead):
    doc = document(adopted, "beschikking")
    text = " ".join(text_of(doc).split())
    assert "Ayşe Öztürk" in text
    assert "21 april 1990" in text and "3098765432" in text
    assert "B1-route" in text
    assert "Gemeente Hoorn" in text and "Team Inburgering" in text  # no letterhead kept yet
    assert "2 maart 2026" in text  # dagtekening, written out
    assert "3 maart 2026 t/m 2 maart 2029" in text  # termijn: the dagtekening three years on
    assert "13 april 2026" in text  # bezwaar deadline: 6 weeks
    assert "2 juni 2026" in text  # course start deadline: 3 months
    assert "bezwaar maken" in text and "Algemene wet bestuursrecht" in text
    assert "college van burgemeester en wethouders van de gemeente Hoorn" in text
    assert "namens het college" in text and "Marieke van der Meer" in text
    assert "pagina 1 van" in text
    assert adopted.pip.inburgeraar.bsn not in text
    assert "afgeschermd" not in text and "•" not in text  # no software wording
    assert "Mevrouw Öztürk" in text or "mevrouw Öztürk" in text


def test_documents_are_tagged_pdf_ua(adopted):
    for kind in KINDS:
        info = pdfinfo(document(adopted, kind))
        assert "Tagged:          yes" in info, kind
        assert "PDF version:     1.7" in info, kind


def test_summaries_are_one_page_in_dutch_and_english(adopted):
    dutch = " ".join(text_of(document(adopted, "samenvatting_nl")).split())
    english = " ".join(text_of(document(adopted, "samenvatting_en")).split())
    assert "Uw inburgeringsplan in het kort" in dutch and "Bent u het niet eens?" in dutch
    assert "Your integration plan in brief" in english
    assert "How much time do you have?" in english and "You have three years" in english
    assert "03-03-2026" in english and "13-04-2026" in english
    assert "Uw inburgeringsplan" not in english
    for kind in ("samenvatting_nl", "samenvatting_en"):
        assert "Pages:           1\n" in pdfinfo(document(adopted, kind)), kind


def test_renderer_fetches_nothing_outside_the_templates():
    fetcher = pdf_engine.local_url_fetcher()
    for url in ("http://127.0.0.1:9/logo.png", "file:///etc/hostname"):
        html = HTML(
            string=f'<html lang="nl"><title>x</title><img src="{url}" alt="x"></html>',
            base_url=str(pdf_engine.PRINT_DIR) + "/",
            url_fetcher=fetcher,
        )
        with pytest.raises(FatalURLFetchingError):
            html.write_pdf()


# --- download --------------------------------------------------------------------------------------


def test_download_serves_the_stored_bytes_and_is_audited(client, adopted, author, case):
    doc = document(adopted, "beschikking")
    client.force_login(author)
    response = client.get(download_url(case, doc))
    assert response.status_code == 200
    body = b"".join(response.streaming_content)
    assert hashlib.sha256(body).hexdigest() == doc.sha256
    assert response["Content-Type"] == "application/pdf"
    disposition = response["Content-Disposition"]
    assert disposition.startswith("attachment;")
    assert f"pip-{case.pk}-v1-beschikking.pdf" in disposition
    assert case.bsn not in disposition and "zt" not in disposition
    assert "no-store" in response["Cache-Control"]
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.DOWNLOAD,
        actor=author,
        object_type="pip_plans.pipdocument",
        object_id=str(doc.pk),
    ).exists()


def test_other_municipality_gets_404(client, adopted, case, caseworker_of):
    doc = document(adopted, "beschikking")
    client.force_login(caseworker_of("enkhuizen"))
    assert client.get(download_url(case, doc)).status_code == 404
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.DOWNLOAD).exists()


def test_werksaam_sees_the_pdf_only_with_a_share(client, adopted, case, member_of):
    doc = document(adopted, "samenvatting_nl")
    client.force_login(member_of("werksaam", Role.WERKSAAM_MEDEWERKER))
    assert client.get(download_url(case, doc)).status_code == 404
    assign_perm("cases.view_inburgeraar", organisation("werksaam").group, case)
    assert client.get(download_url(case, doc)).status_code == 200


def test_document_of_another_case_in_the_url_is_404(client, adopted, author, case_in):
    doc = document(adopted, "beschikking")
    other = case_in("hoorn")
    client.force_login(author)
    assert client.get(download_url(other, doc)).status_code == 404


def test_anonymous_is_sent_to_login(client, adopted, case):
    response = client.get(download_url(case, document(adopted, "beschikking")))
    assert response.status_code == 302 and "login" in response["Location"]


def test_tampered_file_is_refused_and_logged(client, adopted, author, case, caplog):
    doc = document(adopted, "beschikking")
    path = Path(doc.file.path)
    path.write_bytes(path.read_bytes().replace(b"Hoorn", b"Hoorm", 1) + b"\n")
    client.force_login(author)
    response = client.get(download_url(case, doc))
    assert response.status_code == 500
    assert "pip_plans/pdf/unavailable.html" in [t.name for t in response.templates]
    assert response["Content-Type"].startswith("text/html")
    assert any("does not match its SHA-256" in r.getMessage() for r in caplog.records)
    assert not AuditEntry.objects.filter(action=AuditEntry.Action.DOWNLOAD).exists()


def test_missing_file_is_refused(client, adopted, author, case):
    doc = document(adopted, "samenvatting_en")
    Path(doc.file.path).unlink()
    client.force_login(author)
    assert client.get(download_url(case, doc)).status_code == 500


def test_onderwijsroute_beschikking_has_no_map_and_the_six_month_course_deadline(
    author, lead, case, django_capture_on_commit_callbacks
):
    version = draft_for(author, case)
    version = services.save_draft(
        author,
        version,
        expected_version=version.version,
        values={
            "route": "ONDERWIJS",
            "route_reason": "Wil studeren",
            "map_hours": None,
            "age_reason": "Heeft een afgeronde bachelor en wil een master doen.",
            "taalschakeltraject": True,
        },
    )
    version = services.submit(author, version)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.adopt(lead, version, dagtekening=date(2026, 3, 2))
    text = " ".join(text_of(document(version, "beschikking")).split())
    assert "Onderwijsroute" in text and "Taalschakeltraject ja" in text
    assert "MAP Niet van toepassing in deze leerroute." in text
    assert "2 september 2026" in text  # course start: 6 months for the onderwijsroute
    english = " ".join(text_of(document(version, "samenvatting_en")).split())
    assert "education route" in english and "MAP:" not in english


def test_z_route_beschikking_shows_the_hours(
    author, lead, case, django_capture_on_commit_callbacks
):
    version = draft_for(author, case)
    version = services.save_draft(
        author,
        version,
        expected_version=version.version,
        values={
            "route": "Z",
            "route_reason": "Laag leerbaar",
            **{f"level_{part}": "A1" for part in ("lezen", "luisteren", "schrijven", "spreken")},
            "z_hours_language": 800,
            "z_hours_participation": 800,
        },
    )
    version = services.submit(author, version)
    with django_capture_on_commit_callbacks(execute=True):
        version = services.adopt(lead, version, dagtekening=date(2026, 3, 2))
    text = " ".join(text_of(document(version, "beschikking")).split())
    assert "Z-route (zelfredzaamheidsroute)" in text
    assert "Uren Nederlands (NT2) en KNM 800 uur" in text and "Uren participatie 800 uur" in text
    assert "Lezen A1" in text and "eindgesprek bij de gemeente" in text


def test_letter_gives_the_reasons_for_a_route_against_the_advice(
    caseworker_of, member_of, case_in, django_capture_on_commit_callbacks
):
    import subprocess
    from datetime import date as _date

    from municipalities.models import Role
    from pip_plans import services as pip_services
    from pip_plans.models import PipDocument

    from .pip_helpers import draft_for

    author = caseworker_of("hoorn")
    lead = member_of("hoorn", Role.TEAMLEIDER)
    case = case_in("hoorn", date_of_birth=_date(1985, 3, 3), doelgroep="gezinsmigrant")
    version = draft_for(author, case)
    version = pip_services.save_draft(
        author,
        version,
        expected_version=version.version,
        values={
            "route": "Z",
            "route_reason": "Geen schoolervaring en nog niet gealfabetiseerd.",
            "level_lezen": "A1",
            "level_luisteren": "A1",
            "level_schrijven": "A1",
            "level_spreken": "A1",
            "z_hours_language": 800,
            "maatschappelijke_begeleiding": False,
        },
    )
    with django_capture_on_commit_callbacks(execute=True):
        pip_services.adopt(lead, pip_services.submit(author, version))
    document = PipDocument.objects.get(version=version, kind=PipDocument.Kind.BESCHIKKING)
    text = subprocess.run(
        ["pdftotext", "-layout", document.file.path, "-"],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert "Motivering van de leerroute" in text
    assert "nog niet gealfabetiseerd" in " ".join(text.split())


# --- PDF/UA (issue 16) ------------------------------------------------------------------------------


def pdfua_findings(path) -> list[str]:
    """Every error and warning the PyPI `pdfua` checker reports, as `RULE SEVERITY message`."""
    from pdfua import Severity, validate

    report = validate(str(path))
    return [
        f"{finding.rule_id} {finding.severity.name} {finding.message}"
        for finding in report.findings
        if finding.severity >= Severity.WARNING
    ]


def test_every_generated_pdf_passes_pdfua_without_errors_or_warnings(adopted):
    findings = {kind: pdfua_findings(document(adopted, kind).file.path) for kind in KINDS}
    assert findings == {kind: [] for kind in KINDS}


def header_scopes(doc: PipDocument) -> list[str]:
    import pikepdf

    with pikepdf.open(doc.file.path) as pdf:
        return [
            str(element.A.get("/Scope"))
            for element in pdf_engine.struct_elements(pdf)
            if element.get("/S") == "/TH"
        ]


def test_every_table_header_cell_carries_the_scope_of_the_template(adopted):
    """WeasyPrint drops the HTML scope; the stored PDF has it as /Scope on each TH."""
    beschikking = header_scopes(document(adopted, "beschikking"))
    # Two column headers (Examenonderdeel, Niveau) over the levels; every other th is scope="row".
    assert beschikking.count("/Column") == 2
    assert beschikking.count("/Row") == len(beschikking) - 2 > 10
    for kind in ("samenvatting_nl", "samenvatting_en"):
        # The four exam parts, scope="col".
        assert header_scopes(document(adopted, kind)) == ["/Column"] * 4, kind
