"""The caseworker's day in a real browser (issue 3): log in, register, import, intake, scope."""

from datetime import timedelta

import pytest
from django.utils import timezone

from cases.models import Inburgeraar
from intake.models import Intake, IntakeState

from .conftest import assert_accessible

pytestmark = pytest.mark.django_db(transaction=True)


@pytest.mark.slow
def test_register_with_invalid_then_valid_bsn(login, live_server, caseworker_of):
    page = login(caseworker_of("hoorn"))
    page.get_by_role("link", name="Inburgeraars", exact=True).click()
    assert_accessible(page)
    page.get_by_role("link", name="Inburgeraar inschrijven").click()
    assert_accessible(page)

    page.get_by_label("BSN").fill("123456789")
    page.get_by_label("Voornamen").fill("Amal")
    page.get_by_label("Achternaam").fill("Haddad")
    page.get_by_label("Geboortedatum").fill("1990-04-02")
    page.get_by_label("Doelgroep", exact=True).select_option("asielstatushouder")
    page.get_by_label("Datum kennisgeving DUO").fill(
        (timezone.localdate() - timedelta(days=5)).isoformat()
    )
    page.get_by_role("button", name="Inburgeraar inschrijven").click()

    summary = page.get_by_role("alert")
    assert "11-proef" in summary.inner_text()
    assert page.get_by_label("BSN").get_attribute("aria-invalid") == "true"
    assert_accessible(page)

    page.get_by_label("BSN").fill("123456782")
    page.get_by_role("button", name="Inburgeraar inschrijven").click()
    page.wait_for_selector("#case-title")
    assert page.locator("#case-title").inner_text() == "Amal Haddad"
    assert "123456782" not in page.content()  # masked in the header
    assert_accessible(page)
    assert Inburgeraar.objects.filter(bsn="123456782").exists()


def test_import_duo_csv_with_one_bad_row(login, live_server, caseworker_of, tmp_path):
    today = timezone.localdate()
    csv_file = tmp_path / "duo.csv"
    csv_file.write_text(
        "bsn;v_nummer;voornamen;tussenvoegsel;achternaam;geboortedatum;geslacht;nationaliteit;doelgroep;datum_kennisgeving;gemeentecode\n"
        f"123456782;1000000001;Yonas;;Kidane;01-02-1991;m;Eritrees;asielstatushouder;{today:%d-%m-%Y};GM0405\n"
        f"123456789;1000000002;Fout;;Persoon;01-02-1991;m;Syrisch;gezinsmigrant;{today:%d-%m-%Y};GM0405\n",
        encoding="utf-8-sig",
    )
    page = login(caseworker_of("hoorn"))
    page.goto(f"{live_server.url}/inburgeraars/import/")
    assert_accessible(page)
    page.set_input_files("input[type=file]", str(csv_file))
    page.get_by_role("button", name="Bestand controleren").click()
    page.wait_for_load_state()
    assert "11-proef" in page.content(), page.locator("main").inner_text()
    assert_accessible(page)
    page.get_by_role("button", name="Importeren").click()
    page.wait_for_load_state()
    assert_accessible(page)
    assert Inburgeraar.objects.filter(bsn="123456782").exists()
    assert not Inburgeraar.objects.filter(bsn="123456789").exists()


@pytest.mark.slow
def test_run_an_intake_to_completion(login, live_server, caseworker_of, case_in):
    from datetime import date

    user = caseworker_of("hoorn")
    case = case_in(
        "hoorn",
        date_of_birth=date(1984, 6, 1),
        caseworker=user,
        first_names="Rana",
        surname="Khalil",
    )
    page = login(user)
    page.goto(f"{live_server.url}/inburgeraars/{case.pk}/")
    assert_accessible(page)
    page.get_by_role("link", name="Brede intake").click()
    page.get_by_role("button", name="Brede intake plannen").click()
    assert_accessible(page)

    page.get_by_text("Uitnodiging vastleggen", exact=True).first.click()
    when = timezone.localtime() - timedelta(days=1)  # registered after the conversation took place
    page.get_by_label("Datum en tijd gesprek").fill(when.strftime("%Y-%m-%dT10:00"))
    page.get_by_label("Reageren t/m").fill((when - timedelta(days=1)).strftime("%Y-%m-%d"))
    page.get_by_role("button", name="Uitnodiging vastleggen").click()
    page.get_by_role("button", name="Verschenen", exact=True).click()
    assert_accessible(page)

    # Each section saves on its own (htmx) and the page shows what is still missing.
    page.get_by_label("Datum leerbaarheidstoets").fill("2026-10-01")
    page.get_by_label("Score leerbaarheidstoets").fill("30")
    page.get_by_role("button", name="Toets opslaan").click()
    page.wait_for_selector("#test-outcome")
    assert "B1 haalbaar" in page.locator("#test-outcome").inner_text()

    page.get_by_label("Hoogst gevolgde opleiding").select_option("basis")
    page.get_by_label("Toelichting opleiding en werkervaring").fill("Naaister in Homs, acht jaar.")
    page.get_by_role("button", name="Opleiding en werk opslaan").click()
    page.wait_for_selector("#status-herkomst:has-text('Opgeslagen.')")
    page.get_by_role("textbox", name="Persoonlijke omstandigheden").fill(
        "Alleenstaande moeder van twee kinderen."
    )
    page.get_by_role("button", name="Omstandigheden opslaan").click()
    page.wait_for_selector("#status-omstandigheden:has-text('Opgeslagen.')")
    page.get_by_label("Lichamelijke gezondheid").fill("Goed.")
    page.get_by_label("Psychische gezondheid").fill("Geen bijzonderheden.")
    page.get_by_role("button", name="Gezondheid opslaan").click()
    page.wait_for_selector("#status-gezondheid:has-text('Opgeslagen.')")
    assert "Compleet" in page.locator("#progress-title + p").inner_text()

    assert "B1-route" in page.locator("#route-advice").inner_text()
    page.get_by_label("Gekozen leerroute").select_option("Z")
    page.get_by_role("button", name="Leerroute opslaan").click()
    page.wait_for_selector("text=Geef de reden")
    assert_accessible(page)
    page.get_by_label("Gekozen leerroute").select_option("B1")
    page.get_by_role("button", name="Leerroute opslaan").click()
    page.wait_for_selector("#status-route:has-text('Opgeslagen.')")

    page.get_by_role("button", name="Brede intake afronden").click()
    page.wait_for_selector("text=De brede intake is afgerond.")
    assert_accessible(page)
    intake = Intake.objects.get(inburgeraar=case)
    assert intake.state == IntakeState.AFGEROND and intake.chosen_route == "B1"

    page.get_by_role("link", name="Tijdlijn").click()
    page.wait_for_selector("text=Brede intake afgerond")
    assert_accessible(page)


def test_caseworker_of_another_municipality_gets_404(login, live_server, caseworker_of, case_in):
    case = case_in("hoorn")
    page = login(caseworker_of("enkhuizen"))
    response = page.goto(f"{live_server.url}/inburgeraars/{case.pk}/")
    assert response.status == 404
    response = page.goto(f"{live_server.url}/inburgeraars/{case.pk}/intake/")
    assert response.status == 404
