"""The validator harness of issue 16 proves itself on tiny documents known to be good or bad."""

import pytest

from .validators import assert_pa11y_clean, assert_valid_html, html_errors, pa11y_errors

GOOD = """<!DOCTYPE html>
<html lang="nl">
<head><meta charset="utf-8"><title>Goed</title></head>
<body>
<main>
  <h1>Aanmelden</h1>
  <form action="/aanmelden" method="post">
    <label for="naam">Naam</label>
    <input id="naam" name="naam" type="text">
    <button type="submit">Versturen</button>
  </form>
</main>
</body>
</html>
"""

# What the pages have today (issue 16): an htmx attribute that is not HTML, an image without
# alternative text, a form field without a label and a form without a submit button.
BAD = """<!DOCTYPE html>
<html lang="nl">
<head><meta charset="utf-8"><title>Fout</title></head>
<body hx-get="/x">
<main>
  <h1>Aanmelden</h1>
  <img src="logo.png">
  <form action="/aanmelden" method="post">
    <input name="naam" type="text">
  </form>
</main>
</body>
</html>
"""


def test_nu_html_checker_passes_a_good_document():
    assert_valid_html(GOOD, "good")


def test_nu_html_checker_fails_a_bad_document_and_batches_many_in_one_call():
    errors = html_errors({"good": GOOD, "bad": BAD, "good again": GOOD})
    assert errors["good"] == [] and errors["good again"] == []
    assert any("hx-get" in message for message in errors["bad"]), errors["bad"]
    assert any("alt" in message for message in errors["bad"]), errors["bad"]
    with pytest.raises(AssertionError, match="hx-get"):
        assert_valid_html(BAD, "bad")


@pytest.fixture
def page(tmp_path):
    def write(name, html):
        path = tmp_path / f"{name}.html"
        path.write_text(html, encoding="utf-8")
        return path.as_uri()

    return write


def test_pa11y_passes_a_good_page(page):
    assert_pa11y_clean(page("good", GOOD))


def test_pa11y_fails_a_bad_page(page):
    errors = pa11y_errors(page("bad", BAD))
    codes = " ".join(errors)
    assert "H37" in codes  # img without alt (WCAG 1.1.1)
    assert "H32" in codes  # form without a submit button (WCAG 3.2.2)
    with pytest.raises(AssertionError, match="WCAG2AA"):
        assert_pa11y_clean(page("bad-again", BAD))


def test_pa11y_and_axe_batch_pass_good_and_fail_bad_pages_in_one_browser():
    from .validators import accessibility_errors, assert_accessible_documents

    errors = accessibility_errors({"good": GOOD, "bad": BAD, "good again": GOOD})
    assert errors["good"] == [] and errors["good again"] == [], errors
    found = " ".join(errors["bad"])
    assert "htmlcs WCAG2AA.Principle1.Guideline1_1.1_1_1.H37" in found, found  # img without alt
    assert "htmlcs WCAG2AA.Principle3.Guideline3_2.3_2_2.H32" in found, found  # no submit button
    assert "axe image-alt" in found and "axe label" in found, found
    with pytest.raises(AssertionError, match="axe-core"):
        assert_accessible_documents({"bad": BAD})


def test_the_batch_serves_the_documents_with_the_sites_static_files():
    """pa11y and axe see the real CSS (contrast): the documents' /static/ links are served."""
    from urllib.request import urlopen

    from django.templatetags.static import static

    from .validators import _Site

    with _Site({"good": GOOD}) as site:
        page = urlopen(site.url("good"))  # noqa: S310 (a local test server)
        assert page.status == 200 and page.read().decode() == GOOD
        origin = site.url("good").split("/page/")[0]
        css = urlopen(origin + static("build/utrecht.css"))  # noqa: S310
        assert css.status == 200 and css.headers["Content-Type"].startswith("text/css")
        assert b"--utrecht-" in css.read()
