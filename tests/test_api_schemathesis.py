"""Issue 16: schemathesis with every check (`--checks all`) against the committed openapi.yaml,
in-process through the WSGI app, once with a read-scoped client and once with a write-scoped
one (READ and WERKSAAM_WRITE: the record and document creates and changes): no failure."""

from pathlib import Path

import pytest
import yaml
from django.conf import settings
from django.utils import timezone
from hypothesis import HealthCheck, Phase
from hypothesis import settings as hypothesis_settings

from api import services as api_services
from api.models import ApiScope
from municipalities.models import Role
from werksaam_bridge import services
from werksaam_bridge.models import Benefit, Share

from .factories import organisation

pytestmark = [pytest.mark.django_db, pytest.mark.slow]

SCHEMA_FILE = Path(settings.BASE_DIR) / "openapi.yaml"


def _schema():
    import schemathesis

    from westfriesland.wsgi import application

    schema = schemathesis.openapi.from_dict(yaml.safe_load(SCHEMA_FILE.read_text()))
    schema.app = application
    return schema


def all_checks():
    from schemathesis.checks import CHECKS, load_all_checks

    load_all_checks()
    return CHECKS.get_all()


schema = _schema()


@pytest.fixture
def tokens(member_of, caseworker_of, case_in):
    """A read-scoped and a write-scoped WerkSaam client over a few shared cases with records."""
    caseworker = caseworker_of("hoorn")
    ws_user = member_of("werksaam", Role.WERKSAAM_MEDEWERKER)
    for _ in range(3):
        case = case_in("hoorn")
        services.start_share(caseworker, case, basis=Share.Basis.BENEFIT)
        services.add_record(ws_user, case, Benefit, start_date=timezone.localdate())
    found = {}
    for name, scopes in (
        ("read", [ApiScope.READ]),
        ("write", [ApiScope.READ, ApiScope.WERKSAAM_WRITE]),
    ):
        _client, token = api_services.create_api_client(
            None, organisation=organisation("werksaam"), name=f"Fuzz {name}", scopes=scopes
        )
        found[name] = token
    return found


@pytest.fixture
def keep_test_connection():
    """Through the WSGI app each request would close the test transaction's connection
    (close_old_connections); Django's test client disconnects that handler too."""
    from django.core.signals import request_finished, request_started
    from django.db import close_old_connections

    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    yield
    request_started.connect(close_old_connections)
    request_finished.connect(close_old_connections)


FUZZ_SETTINGS = hypothesis_settings(
    max_examples=15,
    deadline=None,
    suppress_health_check=list(HealthCheck),
    derandomize=True,
    database=None,
    phases=[Phase.explicit, Phase.generate],
)


def call_and_check(case, token):
    case.call_and_validate(headers={"Authorization": f"Bearer {token}"}, checks=all_checks())


@schema.parametrize()
@FUZZ_SETTINGS
def test_schemathesis_all_checks_read_scope(case, tokens, keep_test_connection):
    call_and_check(case, tokens["read"])


@schema.parametrize()
@FUZZ_SETTINGS
def test_schemathesis_all_checks_write_scope(case, tokens, keep_test_connection):
    call_and_check(case, tokens["write"])
