"""Issue 16: pa11y (runner htmlcs, WCAG2AA) and axe-core (WCAG 2.0/2.1 A and AA, best practices)
over every page and htmx fragment the demo users reach (the crawl of tests/site_crawl.py, as for
the Nu Html Checker; 75 documents, 14 of them fragments, on the seeded demo) and the login page,
in one Chromium with the site's own CSS (contrast): no error."""

import lxml.html
import pytest
from django.templatetags.static import static
from django.test import Client

from accounts.models import User

from .demo_site import seeded  # noqa: F401
from .site_crawl import DEMO_USERS, crawl
from .validators import assert_accessible_documents, assert_valid_html_documents

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def in_its_page(fragment, pages_by_url) -> str | None:
    """The page that loaded the fragment, with the fragment swapped in where htmx puts it (its
    `#id` target, innerHTML or outerHTML): so it is checked with its headings and landmarks."""
    source = pages_by_url.get(fragment.source)
    target = fragment.target or ""
    if source is None or source.fragment or not target.startswith("#"):
        return None
    if fragment.swap not in ("innerHTML", "outerHTML"):
        return None
    document = lxml.html.document_fromstring(source.html)
    found = document.get_element_by_id(target[1:], None)
    if found is None:
        return None
    swapped = lxml.html.fragment_fromstring(fragment.html, create_parent="div")
    # Out-of-band parts replace the element of their id elsewhere on the page (htmx 2 finds
    # them at any depth), they are not inserted where the fragment goes.
    for part in swapped.xpath(".//*[@data-hx-swap-oob]"):
        how = part.attrib.pop("data-hx-swap-oob")
        there = document.get_element_by_id(part.get("id", ""), None)
        part.drop_tree()
        if there is None:
            continue
        if how in ("true", "outerHTML"):
            there.addprevious(part)
            there.drop_tree()
        elif how == "innerHTML":
            for child in list(there):
                child.drop_tree()
            there.text = part.text
            there.extend(list(part))
    if fragment.swap == "outerHTML":
        for part in list(swapped):  # (a fragment's leading text is white space)
            found.addprevious(part)
        found.drop_tree()  # keeps the text after it
    else:
        for child in list(found):
            child.drop_tree()
        found.text = swapped.text
        found.extend(swapped)
    return lxml.html.tostring(document, doctype="<!DOCTYPE html>", encoding="unicode")


def fragment_document(html: str) -> str:
    """A fragment whose page is not at hand, inside the frame htmx puts it in: the site's CSS
    and theme, a main region under a first-level heading."""
    return (
        '<!DOCTYPE html><html lang="nl" class="utrecht-theme"><head><meta charset="utf-8">'
        '<meta name="viewport" content="width=device-width, initial-scale=1">'
        f'<link rel="stylesheet" href="{static("build/utrecht.css")}">'
        f'<link rel="stylesheet" href="{static("css/app.css")}">'
        "<title>Fragment</title></head>"
        '<body class="utrecht-page utrecht-document"><main id="main"><h1>Fragment</h1>'
        f"{html}</main></body></html>"
    )


def test_every_page_and_fragment_passes_pa11y_and_axe(seeded):  # noqa: F811
    documents = {}
    for username in DEMO_USERS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        pages = crawl(client)
        by_url = {page.url: page for page in pages if not page.fragment}
        for page in pages:
            html = page.html
            if page.fragment:
                html = in_its_page(page, by_url) or fragment_document(page.html)
            documents[f"{username} {'fragment ' if page.fragment else ''}{page.url}"] = html
    # And what everyone sees before logging in (the login page, where "/" sends them).
    for page in crawl(Client()):
        documents[f"anoniem {page.url}"] = page.html
    assert any(name.startswith("anoniem /accounts/login/") for name in documents)
    assert len(documents) > 20, sorted(documents)
    assert any(" fragment " in name for name in documents), "no htmx fragment was reached"
    assert_accessible_documents(documents)


def test_a_completed_intake_and_a_pip_no_longer_editable_pass_pa11y_and_axe(seeded):  # noqa: F811
    """The crawl's first two dossiers need not show these states (issue 16 found them): a
    completed intake's sections and a PIP version offered for adoption render their fields
    read-only; neither may be a form without a submit button (WCAG 3.2.2) or a fieldset without
    a legend (1.3.1)."""
    from cases.models import Inburgeraar
    from intake import services as intake_services
    from intake.models import Intake, IntakeState, IntakeTopic
    from pip_plans.models import PipStatus, PipVersion

    # An extra intake topic for every municipality: its note is a form, or read-only a field.
    IntakeTopic.objects.create(name="Financiën", municipality=None)
    # And an intake in progress, begun the real way, where the sections and the note are forms.
    caseworker = User.objects.get(username="klantmanager.hoorn")
    planned = Intake.objects.filter(
        inburgeraar__caseworker=caseworker, state=IntakeState.GEPLAND
    ).first()
    intake_services.begin_intake(caseworker, planned)
    documents = {}
    for username in ("klantmanager.hoorn", "teamleider.hoorn"):
        user = User.objects.get(username=username)
        client = Client()
        client.force_login(user)
        visible = Inburgeraar.objects.visible_to(user)
        completed = Intake.objects.filter(inburgeraar__in=visible, state=IntakeState.AFGEROND)
        fixed = PipVersion.objects.filter(
            pip__inburgeraar__in=visible, status=PipStatus.TER_VASTSTELLING
        )
        pages = {  # url -> read-only?
            f"/inburgeraars/{completed.values_list('inburgeraar', flat=True)[0]}/intake/": True,
            f"/inburgeraars/{planned.inburgeraar_id}/intake/": False,
            f"/inburgeraars/{fixed.values_list('pip__inburgeraar', flat=True)[0]}/pip/": True,
        }
        for url, read_only in pages.items():
            response = client.get(url)
            assert response.status_code == 200, url
            html = response.content.decode()
            assert "Financiën" in html or url.endswith("/pip/"), url
            if read_only:
                assert "disabled" in html, url  # the read-only state is what is checked
            documents[f"{username} {url}"] = html
    assert_accessible_documents(documents)
    assert_valid_html_documents(documents)  # and still valid HTML (the Nu Html Checker)
