import os

# Playwright's browser tests run a sync API inside pytest's event loop; Django must allow that.
os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

import pytest  # noqa: E402
from django.conf import settings  # noqa: E402
from django.test import Client, override_settings  # noqa: E402
from django_otp import DEVICE_ID_SESSION_KEY  # noqa: E402
from rest_framework.test import APIClient  # noqa: E402

from municipalities.models import Membership, Role  # noqa: E402
from municipalities.services import add_membership, sync_staff_access  # noqa: E402

from .auth_helpers import totp_device, watch_for_csp_violations  # noqa: E402
from .factories import (  # noqa: E402
    InburgeraarFactory,
    UserFactory,
    organisation,
)


def pytest_configure(config):
    own_redis_keys_per_xdist_worker()


def own_redis_keys_per_xdist_worker():
    """pytest-xdist workers (`make test` runs two) share the one Redis database of REDIS_URL: each
    worker gets its own key prefix for the cache and for the Celery broker (queues, bindings), so
    the real worker in tests/test_deadlines_worker.py never takes another worker's tasks and its
    purge empties only its own queue. (PostgreSQL needs nothing: pytest-django gives each worker
    its own test database, test_<name>_gw0, _gw1.)"""
    worker = os.environ.get("PYTEST_XDIST_WORKER")
    if not worker or not settings.REDIS_URL:
        return
    from westfriesland.celery import app

    options = {
        **getattr(settings, "CELERY_BROKER_TRANSPORT_OPTIONS", {}),
        "global_keyprefix": f"tests-{worker}:",
    }
    caches = {
        name: {**conf, "KEY_PREFIX": f"tests-{worker}"} for name, conf in settings.CACHES.items()
    }
    # Enabled for the whole run (the settings signal resets the cache handlers); never disabled.
    override_settings(CACHES=caches, CELERY_BROKER_TRANSPORT_OPTIONS=options).enable()
    app.conf.broker_transport_options = options


@pytest.fixture(scope="session", autouse=True)
def media_root_per_run(tmp_path_factory):
    """Files the tests make (the PIP PDFs of the browser flow) go to a temporary MEDIA_ROOT of
    this process, never to the project's var/media, and never to another xdist worker's."""
    with override_settings(MEDIA_ROOT=str(tmp_path_factory.mktemp("media"))):
        yield


@pytest.fixture(scope="session")
def browser_type_launch_args(browser_type_launch_args):
    return {
        **browser_type_launch_args,
        "executable_path": "/usr/bin/chromium",
        "args": [
            "--headless",
            "--no-sandbox",
            "--disable-gpu",
            "--disable-quic",
            "--no-first-run",
            "--disable-background-networking",
            "--disable-component-update",
            "--disable-sync",
        ],
    }


@pytest.fixture
def page(page):
    """pytest-playwright's page, failing the test on any Content-Security-Policy violation that
    the browser reports in its console."""
    violations = watch_for_csp_violations(page)
    yield page
    assert violations == []


@pytest.fixture(autouse=True)
def fast_password_hasher(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def dutch_unless_a_test_says_otherwise():
    """Each test starts in the default language. LocaleMiddleware activates a request's language
    in the thread and leaves it there, so without this a test that fetched an English page left
    the next test's service messages in English."""
    from django.utils import translation

    with translation.override(settings.LANGUAGE_CODE):
        yield


PLAIN_FORCE_LOGIN = Client.force_login


@pytest.fixture(autouse=True)
def force_login_with_second_factor(monkeypatch):
    """`client.force_login(user)` stands for a finished login, so it includes the second factor:
    the user gets a TOTP device and the session is verified with it, as the login page does.
    The tests of the login itself (tests/test_authentication.py) go through the login page, or
    use PLAIN_FORCE_LOGIN for a session without the second factor."""

    def force_login(self, user, backend=None):
        PLAIN_FORCE_LOGIN(self, user, backend)
        session = self.session
        session[DEVICE_ID_SESSION_KEY] = totp_device(user).persistent_id
        session.save()

    monkeypatch.setattr(Client, "force_login", force_login)


@pytest.fixture(autouse=True)
def static_files_without_collectstatic(settings):
    # pytest-django runs with DEBUG=False, so WhiteNoise would index STATIC_ROOT, which only
    # exists after collectstatic, and warn (an error under filterwarnings=error). Serve static
    # files from the finders, as in development.
    settings.WHITENOISE_AUTOREFRESH = True
    settings.WHITENOISE_USE_FINDERS = True


@pytest.fixture
def reference_data(transactional_db):
    """Transactional tests flush the database after each test, and pytest-django runs them after
    the others, so one may follow another's flush (in one process or on an xdist worker).
    Django's post_migrate recreates permissions and role groups; this restores the organisations
    that the data migration made."""
    from django.contrib.auth.models import Group

    from municipalities.models import Organisation
    from municipalities.reference import ensure_organisations

    ensure_organisations(Organisation, Group)


@pytest.fixture
def org(db):
    """org("hoorn") -> the Organisation with that slug (created by the data migration)."""
    return organisation


@pytest.fixture
def hoorn(db):
    return organisation("hoorn")


@pytest.fixture
def enkhuizen(db):
    return organisation("enkhuizen")


@pytest.fixture
def werksaam(db):
    return organisation("werksaam")


@pytest.fixture
def member_of(db):
    """member_of(slug, role, user=None, active=True) -> a user holding that membership.

    Goes through municipalities.services.add_membership, so staff roles get staff status and
    their admin group just as in production.
    """

    def make(slug, role=Role.KLANTMANAGER, user=None, active=True, **user_kwargs):
        user = user or UserFactory(**user_kwargs)
        membership = add_membership(
            actor=None, user=user, organisation=organisation(slug), role=role
        )
        if not active:
            Membership.objects.filter(pk=membership.pk).update(is_active=False)
            sync_staff_access(user)
        return user

    return make


@pytest.fixture
def caseworker_of(member_of):
    """caseworker_of(slug) -> a user with an active klantmanager membership of that municipality."""

    def make(slug, **user_kwargs):
        return member_of(slug, Role.KLANTMANAGER, **user_kwargs)

    return make


@pytest.fixture
def case_in(db):
    """case_in(slug, **fields) -> a new Inburgeraar of that municipality."""

    def make(slug, **fields):
        return InburgeraarFactory(municipality=organisation(slug), **fields)

    return make


@pytest.fixture
def api_client():
    return APIClient()


# --- ClamAV -----------------------------------------------------------------------------------

EICAR = rb"X5O!P%@AP[4\PZX54(P^)7CC)7}$EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*"


@pytest.fixture(scope="session")
def clamd_socket(tmp_path_factory):
    """A real clamd (Debian's clamav-daemon) on a Unix socket, with a local signature database
    that knows only EICAR: ClamAV's own signatures cannot be downloaded on these machines. Never
    skipped: CI installs clamav-daemon (.ci/run), and a machine without it fails here."""
    import shutil
    import socket
    import subprocess
    import time

    binary = shutil.which("clamd") or "/usr/sbin/clamd"
    if not os.path.exists(binary):
        pytest.fail("clamd is missing: apt-get install clamav-daemon (see .ci/run)")
    root = tmp_path_factory.mktemp("clamd")
    (root / "db").mkdir()
    (root / "tmp").mkdir()
    (root / "db" / "eicar-local.ndb").write_text(f"Eicar-Test-Signature-Local:0:*:{EICAR.hex()}\n")
    sock = root / "clamd.sock"
    config = root / "clamd.conf"
    config.write_text(
        "\n".join(
            [
                f"LocalSocket {sock}",
                f"DatabaseDirectory {root / 'db'}",
                f"TemporaryDirectory {root / 'tmp'}",
                f"LogFile {root / 'clamd.log'}",
                f"PidFile {root / 'clamd.pid'}",
                "Foreground yes",
                "StreamMaxLength 25M",
                "",
            ]
        )
    )
    process = subprocess.Popen(
        [binary, f"--config-file={config}"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.socket(socket.AF_UNIX, socket.SOCK_STREAM) as client:
                client.settimeout(2)
                client.connect(str(sock))
                client.sendall(b"zPING\0")
                if client.recv(16).startswith(b"PONG"):
                    break
        except OSError:
            pass
        if process.poll() is not None or time.monotonic() > deadline:
            log = (root / "clamd.log").read_text() if (root / "clamd.log").exists() else ""
            process.kill()
            pytest.fail(f"clamd did not start:\n{log[-2000:]}")
        time.sleep(0.2)
    yield str(sock)
    process.terminate()
    try:
        process.wait(timeout=10)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()
