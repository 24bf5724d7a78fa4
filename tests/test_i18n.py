"""Dutch UI with an English translation: nl by default, en by cookie, Accept-Language or switcher."""

import gettext
import html
import re

import polib
import pytest
from django.conf import settings
from django.urls import reverse

LOCALE_DIR = settings.BASE_DIR / "locale" / "en" / "LC_MESSAGES"
PO_FILE = LOCALE_DIR / "django.po"
MO_FILE = LOCALE_DIR / "django.mo"

pytestmark = pytest.mark.django_db


def text(response):
    return html.unescape(response.content.decode())


@pytest.fixture
def logged_in(client, caseworker_of):
    client.force_login(caseworker_of("hoorn"))
    return client


def test_dutch_is_the_default(logged_in):
    page = text(logged_in.get(reverse("home")))
    assert 'lang="nl"' in page
    assert "Vandaag" in page
    assert "Today" not in page


def test_login_page_is_dutch_by_default(client):
    page = text(client.get(reverse("login")))
    assert "Inloggen" in page
    assert "Log in" not in page


def test_language_cookie_gives_english(logged_in):
    logged_in.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(logged_in.get(reverse("home")))
    assert 'lang="en"' in page
    assert "Today" in page
    assert "Vandaag" not in page


def test_accept_language_gives_english(logged_in):
    page = text(logged_in.get(reverse("home"), headers={"accept-language": "en-GB,en;q=0.9"}))
    assert "Today" in page
    assert "Vandaag" not in page


def test_login_page_in_english(client):
    client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
    page = text(client.get(reverse("login")))
    assert "Log in" in page
    assert "Username" in page
    assert "Inloggen" not in page


def test_switcher_is_on_the_login_page(client):
    page = text(client.get(reverse("login")))
    assert f'action="{reverse("set_language")}"' in page
    assert re.search(r'<button[^>]*name="language" value="en"[^>]*>English</button>', page)
    assert re.search(r'<button[^>]*name="language" value="nl"[^>]*>Nederlands</button>', page)
    assert 'aria-label="Taal"' in page


def test_switcher_returns_to_the_current_page(logged_in):
    url = reverse("case-list") + "?q=Jansen"
    page = text(logged_in.get(url))
    assert f'name="next" value="{url}"' in page


def test_set_language_switches_to_english_and_back(logged_in):
    response = logged_in.post(reverse("set_language"), {"language": "en", "next": "/"})
    assert response.status_code == 302
    assert response.url == "/"
    assert logged_in.cookies[settings.LANGUAGE_COOKIE_NAME].value == "en"
    assert "Today" in text(logged_in.get("/"))

    logged_in.post(reverse("set_language"), {"language": "nl", "next": "/"})
    page = text(logged_in.get("/"))
    assert "Vandaag" in page
    assert "Today" not in page


def test_set_language_ignores_an_offsite_next(client):
    response = client.post(
        reverse("set_language"), {"language": "en", "next": "https://evil.example/"}
    )
    assert response.status_code == 302
    assert response.url == "/"


def catalogue():
    return polib.pofile(str(PO_FILE))


def test_every_entry_is_translated_and_none_is_fuzzy():
    po = catalogue()
    entries = [e for e in po if not e.obsolete]
    assert len(entries) > 500
    assert not po.metadata_is_fuzzy
    assert [e.msgid for e in entries if "fuzzy" in e.flags] == []
    assert [e.msgid for e in entries if not e.translated()] == []
    for e in entries:
        if e.msgid_plural:
            assert all(e.msgstr_plural.get(n) for n in (0, 1)), e.msgid


PLACEHOLDER = re.compile(r"%\(\w+\)[sd]|<[^>]+>")


def test_translations_keep_placeholders_and_markup():
    for e in catalogue():
        if e.obsolete:
            continue
        pairs = (
            [(e.msgid, e.msgstr_plural[0]), (e.msgid_plural, e.msgstr_plural[1])]
            if e.msgid_plural
            else [(e.msgid, e.msgstr)]
        )
        for source, translation in pairs:
            assert sorted(PLACEHOLDER.findall(source)) == sorted(
                PLACEHOLDER.findall(translation)
            ), source


def test_compiled_catalogue_matches_the_po_file():
    """django.mo is committed (gettext may be missing); it must hold exactly what django.po says."""
    expected = {}
    for e in catalogue():
        if e.obsolete or not e.translated() or "fuzzy" in e.flags:
            continue
        key = f"{e.msgctxt}\x04{e.msgid}" if e.msgctxt else e.msgid
        if e.msgid_plural:
            for n, msgstr in e.msgstr_plural.items():
                expected[(key, int(n))] = msgstr
        else:
            expected[key] = e.msgstr

    with MO_FILE.open("rb") as fp:
        compiled = gettext.GNUTranslations(fp)._catalog
    compiled = {k: v for k, v in compiled.items() if k != ""}  # "" is the header

    missing = sorted(str(k) for k in expected.keys() - compiled.keys())
    stale = sorted(str(k) for k in compiled.keys() - expected.keys())
    assert not missing, f"run compilemessages: not in django.mo: {missing[:5]}"
    assert not stale, f"run compilemessages: only in django.mo: {stale[:5]}"
    changed = [k for k in expected if expected[k] != compiled[k]]
    assert not changed, f"run compilemessages: different in django.mo: {changed[:5]}"


# --- issue 12: no Dutch left in the English UI of the key pages ------------------------------------

# Words of the interface (never of names or data) that betray an untranslated string.
DUTCH_WORDS = (
    "Vandaag",
    "Uitloggen",
    "Meldingen",
    "Inschrijven",
    "inschrijven",
    "Zoek ",
    "Zoeken",
    "Kies…",
    "gevonden",
    "Geboortedatum",
    "Volgende",
    "verstreken",
    "Onderwijsroute",
    "zelfredzaamheidsroute",
    "B2 of hoger",
    "Niet toegewezen",
    "niet verplicht",
    "Persoon",
    "Adres en contact",
    "Inburgeringsplicht",
    "Naar de inhoud",
    "Klantmanager",
    "Gemeente",
    "Termijnen",
    "Overzicht",
    " wijzigen",
    " dagen",
    " regels",
    "Toewijzen",
    "Sorteren",
    "Alle ",
    "Nog geen",
    "Mijn ",
    "het PIP",
    "de PIP",
    "Pagina ",
    "Filters wissen",
)
TAG = re.compile(r"<[^>]+>")


def visible_text(response) -> str:
    """The page as read: tags and the <head> dropped (attribute values too, e.g. aria-labels
    are kept by reading them separately)."""
    body = response.content.decode().split("<body", 1)[1]
    labels = " ".join(re.findall(r'aria-label="([^"]*)"', body))
    return html.unescape(TAG.sub(" ", body) + " " + labels)


def test_key_pages_in_english_have_no_dutch_left(client, member_of, case_in):
    from datetime import date

    from municipalities.models import Role

    from .factories import IntakeFactory

    worker = member_of("hoorn", Role.KLANTMANAGER)
    lead = member_of("hoorn", Role.TEAMLEIDER)
    case = case_in("hoorn", caseworker=worker, datum_kennisgeving=date(2026, 9, 1))
    case_in("hoorn")  # unassigned: the team lead's list
    IntakeFactory(in_progress=True, inburgeraar=case)
    pages = {
        worker: [
            reverse("home"),
            reverse("case-list"),
            reverse("case-register"),
            reverse("case-detail", args=[case.pk]),
            reverse("case-tab", args=[case.pk, "intake"]),
            reverse("case-tab", args=[case.pk, "pip"]),
        ],
        lead: [reverse("home"), reverse("case-list")],
    }
    found = {}
    for user, urls in pages.items():
        client.force_login(user)
        client.cookies[settings.LANGUAGE_COOKIE_NAME] = "en"
        for url in urls:
            response = client.get(url)
            assert response.status_code == 200, url
            page = visible_text(response)
            left = [word for word in DUTCH_WORDS if word in page]
            if left:
                found[f"{user.username} {url}"] = left
        client.logout()
    assert found == {}, found
