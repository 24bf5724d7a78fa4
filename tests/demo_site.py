"""The seeded demo as a fixture for the whole-site tests (fuzz, Nu Html Checker, pa11y, axe).

Seeding takes seconds, so it runs once per module, inside a transaction rolled back after the
module's last test (as tests/test_seed_demo.py does). Import the fixture into a test module:
`from .demo_site import seeded  # noqa: F401`.
"""

import pytest
from django.core.management import call_command
from django.db import transaction
from django.test import override_settings

FAST_HASHER = ["django.contrib.auth.hashers.MD5PasswordHasher"]  # as tests/conftest.py


@pytest.fixture(scope="module")
def seeded(django_db_setup, django_db_blocker):
    """The demo, seeded once for the module and rolled back after its last test."""
    with django_db_blocker.unblock():
        module_transaction = transaction.atomic()
        module_transaction.__enter__()
        with override_settings(DEBUG=True, PASSWORD_HASHERS=FAST_HASHER):
            call_command("seed_demo")
    yield
    with django_db_blocker.unblock():
        transaction.set_rollback(True)
        module_transaction.__exit__(None, None, None)
