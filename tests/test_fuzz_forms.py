"""Issue 11 point 12: no input makes a server error. Every POST form a demo user can reach (found
by crawling the site as that user, tests/site_crawl.py) gets bad input from Hypothesis: NUL
bytes, superscript digits, numbers past a bigint, year 9999 and year 1, text past every column,
empty values, besides the values the page offers. No answer may be a 500."""

import pytest
from django.test import Client
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from accounts.models import User

from .demo_site import seeded  # noqa: F401
from .site_crawl import DEMO_USERS, crawl

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

# Each example posts every form once; no shrinking (a failure names its input already).
EXAMPLES = 4
BAD_VALUES = [
    "",
    " ",
    "0",
    "-1",
    "²",
    "٣",
    "99999999999999999999",
    "3650000",
    "1e309",
    "9999-12-31",
    "0001-01-01",
    "31-02-2026",
    "2026-13-01T25:61",
    "\x00",
    "a\x00b",
    "x" * 5001,
    "null",
    "<script>alert(1)</script>",
    "🙂" * 3,
]
SKIPPED_KINDS = {"file"}


def value_strategy(offered: list[str]):
    options = [st.sampled_from(BAD_VALUES), st.text(max_size=30)]
    if offered:
        options.insert(0, st.sampled_from(offered))
    return st.one_of(options)


def distinct_forms(pages):
    """One form per (action pattern, field names): the same form on 2 dossiers is posted once."""
    forms = {}
    for page in pages:
        for form in page.forms:
            key = (form.action.split("?")[0], tuple(sorted(form.fields)))
            forms.setdefault(key, form)
    return list(forms.values())


@pytest.mark.parametrize("username", DEMO_USERS)
def test_no_form_answers_a_server_error_to_bad_input(seeded, username):  # noqa: F811
    client = Client(raise_request_exception=False)
    client.force_login(User.objects.get(username=username))
    forms = distinct_forms(crawl(client))
    assert forms, f"{username} reaches no form"

    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        database=None,
        derandomize=True,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    @given(st.data())
    def post_bad_input(data):
        for form in forms:
            values = {
                name: data.draw(value_strategy(offered), label=f"{form.action} {name}")
                for name, offered in form.fields.items()
                if form.kinds.get(name) not in SKIPPED_KINDS
            }
            response = client.post(form.action, values)
            assert response.status_code < 500, (
                f"{username}: POST {form.action} (form on {form.page}) answered "
                f"{response.status_code} to {values!r}"
            )

    post_bad_input()
