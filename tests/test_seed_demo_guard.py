"""The demo seed never runs in production (DEBUG off). Its own module: the seed tests in
tests/test_seed_demo.py share one seeded demo, and this one needs an empty database."""

import pytest
from django.core.management import CommandError, call_command

from accounts.models import User
from cases.models import Inburgeraar

pytestmark = pytest.mark.django_db


def test_refuses_without_debug(settings):
    settings.DEBUG = False
    with pytest.raises(CommandError):
        call_command("seed_demo")
    assert not User.objects.filter(username="beheerder").exists()
    assert not Inburgeraar.objects.exists()
