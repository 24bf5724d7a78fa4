"""Documents on the case (issue 14): scanned by a real clamd before they are kept (EICAR refused,
never stored), the type read from the content, size capped, stored outside the web root, read
through the one door (WerkSaam: only documents marked for it, never special-category ones), and
every document URL 404 outside the case's scope."""

import hashlib
import io
import zipfile
from datetime import date

import pytest
from django.urls import reverse
from guardian.shortcuts import assign_perm
from PIL import Image

from audit.models import AuditEntry
from documents import services
from documents.models import Document
from municipalities.models import Role

from .conftest import EICAR
from .factories import organisation

PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 200 200]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def png() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "PNG")
    return out.getvalue()


def jpeg() -> bytes:
    out = io.BytesIO()
    Image.new("RGB", (4, 4), "white").save(out, "JPEG")
    return out.getvalue()


def docx() -> bytes:
    out = io.BytesIO()
    with zipfile.ZipFile(out, "w") as archive:
        archive.writestr(
            "[Content_Types].xml",
            '<?xml version="1.0"?><Types xmlns="http://schemas.openxmlformats.org/package/2006/'
            'content-types"><Override PartName="/word/document.xml" ContentType="application/'
            'vnd.openxmlformats-officedocument.wordprocessingml.document.main+xml"/></Types>',
        )
        archive.writestr("word/document.xml", "<w:document/>")
    return out.getvalue()


@pytest.fixture
def scanner(settings, clamd_socket, tmp_path):
    settings.CLAMAV_SOCKET = clamd_socket
    settings.CLAMAV_HOST = ""
    settings.DOCUMENTS_ALLOW_UNSCANNED = False
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    return settings.DOCUMENTS_ROOT


@pytest.fixture
def worker(caseworker_of):
    return caseworker_of("hoorn")


@pytest.fixture
def case(case_in):
    return case_in("hoorn")


def post_upload(client, case, data, name="scan.pdf", **fields):
    from django.core.files.uploadedfile import SimpleUploadedFile

    values = {
        "file": SimpleUploadedFile(name, data),
        "kind": "diploma",
        "document_date": "2026-11-20",
        "description": "",
        **fields,
    }
    return client.post(reverse("documents:upload", args=[case.pk]), values)


def stored_files(root) -> list:
    return [p for p in root.rglob("*") if p.is_file()] if root.exists() else []


def test_eicar_is_refused_by_the_real_clamd_and_never_stored(scanner, worker, case, client):
    client.force_login(worker)
    response = post_upload(client, case, EICAR, name="brief.pdf")
    assert response.status_code == 400
    body = response.content.decode()
    assert "In dit bestand is een virus gevonden (Eicar-Test-Signature-Local" in body
    assert "niet opgeslagen" in body
    assert not Document.objects.exists()
    assert stored_files(scanner) == []
    assert AuditEntry.objects.filter(reason__startswith="geweigerd: virus").exists()


def test_a_clean_pdf_is_scanned_and_kept_outside_the_web_root(scanner, worker, case, client):
    from django.conf import settings

    client.force_login(worker)
    response = post_upload(client, case, PDF, name="diploma.pdf")
    assert response.status_code == 302
    document = Document.objects.get()
    assert document.content_type == "application/pdf"
    assert document.sha256 == hashlib.sha256(PDF).hexdigest()
    assert "ClamAV" in document.scanned_by
    path = document.file.path
    assert path.startswith(str(scanner))
    assert not path.startswith(str(settings.STATIC_ROOT))
    assert not path.startswith(str(settings.MEDIA_ROOT))
    with pytest.raises(ValueError):
        document.file.url  # noqa: B018 - never a web address
    download = client.get(reverse("documents:download", args=[case.pk, document.pk]))
    assert download.status_code == 200 and download.content == PDF
    assert AuditEntry.objects.filter(
        action=AuditEntry.Action.DOWNLOAD, object_id=str(document.pk)
    ).exists()


@pytest.mark.parametrize(
    ("make", "mime"),
    [
        (png, "image/png"),
        (jpeg, "image/jpeg"),
        (docx, "application/vnd.openxmlformats-officedocument.wordprocessingml.document"),
    ],
)
def test_images_and_docx_are_kept(scanner, worker, case, make, mime):
    document = services.upload_document(
        worker, case, data=make(), kind="overig", document_date=date(2026, 11, 1)
    )
    assert document.content_type == mime


def test_the_type_comes_from_the_content_not_the_name(scanner, worker, case, client):
    client.force_login(worker)
    response = post_upload(client, case, b"just text, not a PDF", name="scan.pdf")
    assert response.status_code == 400
    assert "Dit soort bestand wordt niet bewaard" in response.content.decode()
    executable = b"MZ\x90\x00" + b"\x00" * 200
    assert post_upload(client, case, executable, name="photo.png").status_code == 400
    assert not Document.objects.exists() and stored_files(scanner) == []


def test_size_limit(scanner, settings, worker, case, client):
    settings.DOCUMENTS_MAX_BYTES = 1024
    client.force_login(worker)
    response = post_upload(client, case, PDF + b" " * 2000)
    assert response.status_code == 400
    assert "groter dan" in response.content.decode()
    assert not Document.objects.exists()


def test_no_scanner_configured_refuses_and_says_so(settings, tmp_path, worker, case, client):
    settings.CLAMAV_SOCKET = settings.CLAMAV_HOST = ""
    settings.DOCUMENTS_ALLOW_UNSCANNED = False
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    client.force_login(worker)
    tab = client.get(reverse("case-tab", args=[case.pk, "documenten"])).content.decode()
    assert "Er is geen virusscanner ingesteld. Uploaden is daarom uitgeschakeld." in tab
    response = post_upload(client, case, PDF)
    assert response.status_code == 400
    assert "Er is geen virusscanner beschikbaar" in response.content.decode()
    assert not Document.objects.exists()


def test_demo_may_allow_unscanned_uploads_and_says_so(settings, tmp_path, worker, case, client):
    settings.CLAMAV_SOCKET = settings.CLAMAV_HOST = ""
    settings.DOCUMENTS_ALLOW_UNSCANNED = True
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    client.force_login(worker)
    tab = client.get(reverse("case-tab", args=[case.pk, "documenten"])).content.decode()
    assert "NIET op virussen gescand" in tab
    assert post_upload(client, case, PDF).status_code == 302
    assert Document.objects.get().scanned_by.startswith("niet gescand")


def test_unreachable_scanner_refuses(settings, tmp_path, worker, case):
    settings.CLAMAV_SOCKET = str(tmp_path / "nothing.sock")
    settings.DOCUMENTS_ROOT = tmp_path / "documents"
    with pytest.raises(services.UploadRefused, match="geen virusscanner beschikbaar"):
        services.upload_document(
            worker, case, data=PDF, kind="overig", document_date=date(2026, 11, 1)
        )


def test_special_category_is_never_for_werksaam(scanner, worker, case):
    from django.core.exceptions import ValidationError

    with pytest.raises(ValidationError):
        services.upload_document(
            worker,
            case,
            data=PDF,
            kind="medisch",
            document_date=date(2026, 11, 1),
            special_category=True,
            for_werksaam=True,
        )


@pytest.fixture
def three_documents(scanner, worker, case):
    def upload(**flags):
        return services.upload_document(
            worker, case, data=PDF, kind="overig", document_date=date(2026, 11, 1), **flags
        )

    return {
        "for_werksaam": upload(for_werksaam=True),
        "internal": upload(),
        "medical": upload(special_category=True),
    }


def test_werksaam_sees_only_documents_marked_for_it(
    three_documents, case, member_of, client, api_client
):
    assign_perm("cases.view_inburgeraar", organisation("werksaam").group, case)
    staff = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    assert set(Document.objects.visible_to(staff)) == {three_documents["for_werksaam"]}
    client.force_login(staff)
    for name, document in three_documents.items():
        status = client.get(reverse("documents:download", args=[case.pk, document.pk])).status_code
        assert status == (200 if name == "for_werksaam" else 404), name
    api_client.force_authenticate(staff)
    listed = api_client.get("/api/v1/documents/").json()["results"]
    assert [row["id"] for row in listed] == [three_documents["for_werksaam"].pk]
    assert api_client.get(f"/api/v1/documents/{three_documents['medical'].pk}/").status_code == 404


def test_every_document_url_is_404_outside_the_case_scope(
    three_documents, case, caseworker_of, client, api_client
):
    from django.core.files.uploadedfile import SimpleUploadedFile

    outsider = caseworker_of("enkhuizen")
    client.force_login(outsider)
    api_client.force_authenticate(outsider)
    urls = [reverse("case-tab", args=[case.pk, "documenten"])]
    for document in three_documents.values():
        urls += [
            reverse("documents:download", args=[case.pk, document.pk]),
            f"/api/v1/documents/{document.pk}/",
            f"/api/v1/documents/{document.pk}/download/",
        ]
    for url in urls:
        response = (api_client if url.startswith("/api/") else client).get(url)
        assert response.status_code == 404, url
    assert post_upload(client, case, PDF).status_code == 404
    response = api_client.post(
        "/api/v1/documents/",
        {
            "inburgeraar": case.pk,
            "file": SimpleUploadedFile("a.pdf", PDF),
            "kind": "overig",
            "document_date": "2026-11-01",
        },
        format="multipart",
    )
    assert response.status_code == 404
    assert api_client.get("/api/v1/documents/").json()["results"] == []
    assert Document.objects.count() == 3


def test_api_upload_refuses_eicar_and_keeps_a_clean_pdf(scanner, worker, case, api_client):
    from django.core.files.uploadedfile import SimpleUploadedFile

    api_client.force_authenticate(worker)

    def post(data):
        return api_client.post(
            "/api/v1/documents/",
            {
                "inburgeraar": case.pk,
                "file": SimpleUploadedFile("x.pdf", data),
                "kind": "participatieverklaring",
                "document_date": "2026-11-01",
            },
            format="multipart",
        )

    refused = post(EICAR)
    assert refused.status_code == 400
    assert "virus" in str(refused.json())
    kept = post(PDF)
    assert kept.status_code == 201
    body = kept.json()
    assert body["kind"] == "participatieverklaring" and body["content_type"] == "application/pdf"
    download = api_client.get(f"/api/v1/documents/{body['id']}/download/")
    assert download.status_code == 200 and download.content == PDF
    assert Document.objects.count() == 1


def test_consent_for_a_werksaam_share_is_linked_from_the_share(scanner, worker, case, client):
    from django.core.exceptions import ValidationError

    from werksaam_bridge import services as werksaam_services
    from werksaam_bridge.models import Share

    consent = services.upload_document(
        worker,
        case,
        data=PDF,
        kind="toestemming",
        document_date=date(2026, 11, 1),
        for_werksaam=True,
    )
    diploma = services.upload_document(
        worker, case, data=PDF, kind="diploma", document_date=date(2026, 11, 1)
    )
    with pytest.raises(ValidationError):
        werksaam_services.start_share(
            worker,
            case,
            basis=Share.Basis.CONSENT,
            consent_date=date(2026, 11, 1),
            consent_document=diploma,
        )
    share = werksaam_services.start_share(
        worker,
        case,
        basis=Share.Basis.CONSENT,
        consent_date=date(2026, 11, 1),
        consent_scope="Re-integratie",
        consent_document=consent,
    )
    assert share.consent_document == consent
    client.force_login(worker)
    page = client.get(reverse("werksaam_bridge:case-shares", args=[case.pk])).content.decode()
    assert reverse("documents:download", args=[case.pk, consent.pk]) in page


def test_retention_follows_the_case(scanner, worker, case):
    from pathlib import Path

    document = services.upload_document(
        worker, case, data=PDF, kind="overig", document_date=date(2026, 11, 1)
    )
    path = Path(document.file.path)
    assert path.exists()
    case.delete()
    assert not Document.objects.exists()
    assert not path.exists()
