"""Settings from the environment: development defaults, and a production mode that refuses to
start without its secrets and passes `check --deploy`."""

import os
import secrets
import subprocess
import sys
from pathlib import Path

import pytest
from django.conf import settings

BASE_DIR = Path(__file__).resolve().parent.parent
SETUP = "import django; django.setup()"
PRODUCTION_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres"

# Variables that would leak from the developer's or CI's environment into the subprocess.
PROJECT_VARIABLES = (
    "DJANGO_ENV",
    "SECRET_KEY",
    "ALLOWED_HOSTS",
    "DATABASE_URL",
    "REDIS_URL",
    "DEBUG",
    "CELERY_BROKER_URL",
    "CELERY_TASK_ALWAYS_EAGER",
    "CSRF_TRUSTED_ORIGINS",
    "EMAIL_URL",
    "SECURE_SSL_REDIRECT",
    "SECURE_HSTS_SECONDS",
    "DEMO_TOTP_SECRET",
    # set by tests/conftest.py for Playwright; check --deploy rightly refuses it
    "DJANGO_ALLOW_ASYNC_UNSAFE",
)


def run(args, **variables):
    env = {k: v for k, v in os.environ.items() if k not in PROJECT_VARIABLES}
    env["DJANGO_SETTINGS_MODULE"] = "westfriesland.settings"
    env.update(variables)
    return subprocess.run(
        [sys.executable, *args],
        cwd=BASE_DIR,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
    )


def production_secret_key():
    return secrets.token_urlsafe(64)


def test_language_and_time_zone():
    assert settings.LANGUAGE_CODE == "nl"
    assert settings.TIME_ZONE == "Europe/Amsterdam"
    assert settings.USE_TZ is True
    assert settings.USE_I18N is True


def test_development_defaults_need_no_environment():
    result = run(
        [
            "-c",
            SETUP + "; from django.conf import settings as s; "
            "print(s.DATABASES['default']['ENGINE'], s.CELERY_TASK_ALWAYS_EAGER, s.DEBUG)",
        ]
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["django.db.backends.sqlite3", "True", "True"]


def test_production_without_any_secret_names_all_missing_variables():
    result = run(["-c", SETUP], DJANGO_ENV="production")
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    for name in ("SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"):
        assert name in result.stderr


def test_production_without_secret_key_refuses_to_start():
    result = run(
        ["-c", SETUP],
        DJANGO_ENV="production",
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=PRODUCTION_DATABASE_URL,
    )
    assert result.returncode != 0
    assert "SECRET_KEY" in result.stderr
    assert "ALLOWED_HOSTS" not in result.stderr.splitlines()[-1]


def test_production_refuses_sqlite():
    result = run(
        ["-c", SETUP],
        DJANGO_ENV="production",
        SECRET_KEY=production_secret_key(),
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=f"sqlite:///{BASE_DIR / 'var' / 'production.sqlite3'}",
    )
    assert result.returncode != 0
    assert "PostgreSQL" in result.stderr


def test_production_refuses_debug():
    result = run(
        ["-c", SETUP],
        DJANGO_ENV="production",
        SECRET_KEY=production_secret_key(),
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=PRODUCTION_DATABASE_URL,
        DEBUG="true",
    )
    assert result.returncode != 0
    assert "DEBUG" in result.stderr


def test_production_refuses_the_demo_totp_secret():
    result = run(
        ["-c", SETUP],
        DJANGO_ENV="production",
        SECRET_KEY=production_secret_key(),
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=PRODUCTION_DATABASE_URL,
        DEMO_TOTP_SECRET="INBURGERINGWESTFRIESLAND",
    )
    assert result.returncode != 0
    assert "ImproperlyConfigured" in result.stderr
    assert "DEMO_TOTP_SECRET" in result.stderr


def test_production_has_no_demo_totp_secret_by_default():
    result = run(
        ["-c", SETUP + "; from django.conf import settings as s; print(repr(s.DEMO_TOTP_SECRET))"],
        DJANGO_ENV="production",
        SECRET_KEY=production_secret_key(),
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=PRODUCTION_DATABASE_URL,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip() == "''"


@pytest.mark.slow
def test_production_passes_check_deploy():
    result = run(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"],
        DJANGO_ENV="production",
        SECRET_KEY=production_secret_key(),
        ALLOWED_HOSTS="example.org",
        DATABASE_URL=PRODUCTION_DATABASE_URL,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "no issues" in result.stdout


@pytest.mark.slow
@pytest.mark.parametrize("variable", ["SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"])
def test_production_values_come_from_the_environment(variable):
    secret_key = production_secret_key()
    values = {
        "SECRET_KEY": secret_key,
        "ALLOWED_HOSTS": "example.org",
        "DATABASE_URL": PRODUCTION_DATABASE_URL,
    }
    show = {
        "SECRET_KEY": "s.SECRET_KEY == " + repr(secret_key),
        "ALLOWED_HOSTS": "s.ALLOWED_HOSTS == ['example.org']",
        "DATABASE_URL": "s.DATABASES['default']['ENGINE'] == 'django.db.backends.postgresql'",
    }[variable]
    result = run(
        ["-c", SETUP + "; from django.conf import settings as s; print(" + show + ", s.DEBUG)"],
        DJANGO_ENV="production",
        **values,
    )
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["True", "False"]


def test_make_run_logs_to_a_file_and_keeps_the_console_for_warnings(tmp_path):
    """Issue 12 (quiet console): with LOG_FILE (bin/run-dev sets it), audit JSON lines, Django's
    and Celery's chatter go to the file; the console (stderr) keeps warnings and errors."""
    log_file = tmp_path / "log" / "westfriesland.log"
    code = (
        SETUP + "; import logging; "
        "logging.getLogger('audit').info('audit', extra={'audit_id': 1}); "
        "logging.getLogger('celery.app.trace').info('Task x succeeded'); "
        "logging.getLogger('django.utils.autoreload').info('Watching for file changes'); "
        "logging.getLogger('deadlines').warning('broker onbereikbaar'); "
        "from django.conf import settings as s; print(s.CELERY_WORKER_HIJACK_ROOT_LOGGER)"
    )
    result = run(["-c", code], LOG_FILE=str(log_file))
    assert result.returncode == 0, result.stderr
    assert result.stdout.split() == ["False"]
    assert "broker onbereikbaar" in result.stderr
    for quiet in ("audit", "Task x", "Watching"):
        assert quiet not in result.stderr + result.stdout, quiet
    written = log_file.read_text()
    assert '"audit_id": 1' in written and "Task x succeeded" in written
    assert "Watching for file changes" in written and "broker onbereikbaar" in written
    # Without LOG_FILE (production, compose): JSON on stdout, as before.
    result = run(["-c", code])
    assert '"audit_id": 1' in result.stdout


def test_rundev_prints_its_address_once_it_listens():
    """Issue 12: `make run` (bin/run-dev) uses `rundev`, which prints the address when the
    server is bound, not Django's banner before it."""
    import io

    from demo.management.commands.rundev import Command

    command = Command(stdout=io.StringIO())
    command.addr, command._raw_ipv6, command.protocol = "127.0.0.1", False, "http"
    command.on_bind(8123)
    output = command.stdout._out.getvalue()
    assert "http://127.0.0.1:8123/" in output and "Django version" not in output
    assert "manage.py rundev" in (BASE_DIR / "bin" / "run-dev").read_text()
