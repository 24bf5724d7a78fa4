"""Issue 16: the Nu Html Checker over every page and htmx fragment the demo users reach (found by
crawling the site as each of them, tests/site_crawl.py), in one vnu batch: no error."""

import pytest
from django.test import Client

from accounts.models import User

from .demo_site import seeded  # noqa: F401
from .site_crawl import DEMO_USERS, crawl
from .validators import assert_valid_html_documents

pytestmark = [pytest.mark.django_db, pytest.mark.slow]


def test_every_page_and_fragment_is_valid_html(seeded):  # noqa: F811
    documents = {}
    for username in DEMO_USERS:
        client = Client()
        client.force_login(User.objects.get(username=username))
        for page in crawl(client):
            html = page.html
            if page.fragment:
                # A fragment is checked inside a minimal document, as htmx puts it in one.
                html = (
                    '<!DOCTYPE html><html lang="nl"><head><meta charset="utf-8">'
                    f"<title>fragment</title></head><body>{html}</body></html>"
                )
            documents[f"{username} {'fragment ' if page.fragment else ''}{page.url}"] = html
    assert len(documents) > 20, sorted(documents)
    assert any(" fragment " in name for name in documents), "no htmx fragment was reached"
    assert_valid_html_documents(documents)
