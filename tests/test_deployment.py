"""Checks of the production deployment files that need no Docker engine.

Dockerfile, .dockerignore, docker/entrypoint-web.sh, docker-compose.yml and .env.example are read
as text and checked against the project: every command they run exists and accepts the options
given, the environment the compose file passes is what settings.py reads, and the production
environment passes `manage.py check --deploy` and `collectstatic` exactly as the image runs it.
"""

import ast
import json
import os
import re
import shlex
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
COMPOSE_FILE = ROOT / "docker-compose.yml"
DOCKERFILE = ROOT / "Dockerfile"
DOCKERIGNORE = ROOT / ".dockerignore"
ENTRYPOINT = ROOT / "docker" / "entrypoint-web.sh"
MIGRATE_ENTRYPOINT = ROOT / "docker" / "entrypoint-migrate.sh"
ENV_EXAMPLE = ROOT / ".env.example"
SETTINGS_FILE = ROOT / "westfriesland" / "settings.py"

SERVICES = {"postgres", "redis", "clamav", "migrate", "web", "worker", "beat"}
APP_SERVICES = ("web", "worker", "beat")
APP_DIR = "/app"  # WORKDIR of the image; the project is copied there

# Values for the compose file's ${...} placeholders when we run its environment here.
TEST_SUBSTITUTIONS = {
    "SECRET_KEY": "deploy-test-8d1f0c6b2a9e4f7d3c5b1a0e9f8d7c6b5a4e3d2c1b0a9f8e7d6c5b",
    "POSTGRES_PASSWORD": "deploy-test",
    "APP_DATABASE_PASSWORD": "deploy-test-app",
    "ALLOWED_HOSTS": "inburgering.westfriesland.example",
}
LOCAL_DATABASE_URL = "postgres://postgres@127.0.0.1:5432/postgres"

# settings.py reads .env at import; a container never has one (.dockerignore), so the subprocesses
# below ignore a developer's .env too.
NO_DOTENV = "import environ; environ.Env.read_env = lambda *args, **kwargs: None; "


# --- helpers ------------------------------------------------------------------------------------


def load_compose():
    return yaml.safe_load(COMPOSE_FILE.read_text())


_PLACEHOLDER = re.compile(
    r"\$\$|\$\{(?P<braced>[A-Za-z_][A-Za-z0-9_]*)(?:(?P<op>:?[-?])(?P<arg>[^}]*))?\}"
    r"|\$(?P<bare>[A-Za-z_][A-Za-z0-9_]*)"
)


def interpolate(value, variables):
    """Compose-style substitution: $$, $VAR, ${VAR}, ${VAR:-default}, ${VAR-default}, ${VAR:?err}."""

    def replace(match):
        if match.group(0) == "$$":
            return "$"
        name = match.group("braced") or match.group("bare")
        op, arg = match.group("op"), match.group("arg")
        current = variables.get(name)
        if op in (":?", "?"):
            missing = not current if op == ":?" else current is None
            if missing:
                raise LookupError(f"{name} is required: {arg}")
            return current
        if op == ":-":
            return current or arg
        if op == "-":
            return arg if current is None else current
        return current or ""

    return _PLACEHOLDER.sub(replace, value)


def placeholders(value):
    """Names of the variables a compose string substitutes."""
    return {
        m.group("braced") or m.group("bare")
        for m in _PLACEHOLDER.finditer(value)
        if m.group(0) != "$$"
    }


def walk_strings(node):
    if isinstance(node, dict):
        for value in node.values():
            yield from walk_strings(value)
    elif isinstance(node, list):
        for value in node:
            yield from walk_strings(value)
    elif isinstance(node, str):
        yield node


def compose_environment(service="web"):
    return load_compose()["services"][service]["environment"]


def production_environment(**overrides):
    """The compose file's app environment with test values, as a subprocess environment."""
    environment = {
        name: interpolate(str(value), TEST_SUBSTITUTIONS)
        for name, value in compose_environment().items()
    }
    environment["DATABASE_URL"] = LOCAL_DATABASE_URL
    environment.update(overrides)
    # Only what a process needs to run, not this test process's environment (pytest's conftest
    # sets DJANGO_ALLOW_ASYNC_UNSAFE, which check --deploy rightly rejects).
    base = {
        k: os.environ[k] for k in ("PATH", "HOME", "LANG", "LC_ALL", "TMPDIR") if k in os.environ
    }
    base["DJANGO_SETTINGS_MODULE"] = "westfriesland.settings"
    return {**base, **environment}


def settings_tree():
    return ast.parse(SETTINGS_FILE.read_text())


def settings_env_names():
    """Every NAME in an env("NAME", ...) or env.<type>("NAME", ...) call in settings.py."""
    names = set()
    for node in ast.walk(settings_tree()):
        if not isinstance(node, ast.Call) or not node.args:
            continue
        func = node.func
        is_env = (isinstance(func, ast.Name) and func.id == "env") or (
            isinstance(func, ast.Attribute)
            and isinstance(func.value, ast.Name)
            and func.value.id == "env"
        )
        first = node.args[0]
        if is_env and isinstance(first, ast.Constant) and isinstance(first.value, str):
            names.add(first.value)
    return names


def settings_production_required():
    """The names settings.py refuses to start without in production: the tuple it loops over."""
    for node in ast.walk(settings_tree()):
        if isinstance(node, ast.comprehension) and isinstance(node.iter, ast.Tuple):
            values = [elt.value for elt in node.iter.elts if isinstance(elt, ast.Constant)]
            if "SECRET_KEY" in values:
                return set(values)
    raise AssertionError("settings.py no longer lists its production-required variables")


def dockerfile_instructions():
    """[(stage index, INSTRUCTION, arguments)] with continuation lines joined, comments dropped."""
    lines, current = [], ""
    for raw in DOCKERFILE.read_text().splitlines():
        stripped = raw.strip()
        if not current and (not stripped or stripped.startswith("#")):
            continue
        if stripped.startswith("#"):
            continue
        if stripped.endswith("\\"):
            current += stripped[:-1] + " "
            continue
        lines.append(current + stripped)
        current = ""
    instructions, stage = [], -1
    for line in lines:
        keyword, _, arguments = line.partition(" ")
        keyword = keyword.upper()
        if keyword == "FROM":
            stage += 1
        instructions.append((stage, keyword, arguments.strip()))
    return instructions


def final_stage():
    instructions = dockerfile_instructions()
    last = max(stage for stage, _, _ in instructions)
    return [(keyword, arguments) for stage, keyword, arguments in instructions if stage == last]


def dockerfile_cmd():
    cmds = [arguments for keyword, arguments in final_stage() if keyword == "CMD"]
    assert len(cmds) == 1
    return json.loads(cmds[0])


def entrypoint_gunicorn_args():
    text = ENTRYPOINT.read_text().replace("\\\n", " ")
    (line,) = [line for line in text.splitlines() if line.strip().startswith("exec gunicorn")]
    return [arg for arg in shlex.split(line)[2:] if arg != "$@"]


def run_python_file(argv, env, prelude=""):
    """`python <argv>` in the project directory, as the container would, ignoring any .env."""
    script = NO_DOTENV + "import runpy, sys; " + prelude
    script += "sys.argv = sys.argv[1:]; runpy.run_path(sys.argv[0], run_name='__main__')"
    return subprocess.run(
        [sys.executable, "-c", script, *argv],
        cwd=ROOT,
        env=env,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )


def container_path_to_repo(path):
    assert path.startswith(APP_DIR + "/"), path
    return ROOT / path[len(APP_DIR) + 1 :]


# --- docker-compose.yml ---------------------------------------------------------------------------


def test_compose_parses_and_has_its_services():
    compose = load_compose()
    assert isinstance(compose, dict)
    assert set(compose["services"]) == SERVICES


@pytest.mark.parametrize("service", sorted(SERVICES))
def test_every_service_has_a_health_check(service):
    healthcheck = load_compose()["services"][service]["healthcheck"]
    test = healthcheck["test"]
    assert isinstance(test, list)
    assert test[0] in ("CMD", "CMD-SHELL")
    assert len(test) > 1
    assert not healthcheck.get("disable", False)


def test_volumes_are_named_and_declared():
    compose = load_compose()
    declared = set(compose["volumes"])
    assert {"postgres-data", "redis-data", "media"} <= declared
    used = set()
    for service in compose["services"].values():
        for volume in service.get("volumes", []):
            source, target = volume.split(":")[:2]
            assert not source.startswith((".", "/", "~")), f"bind mount {volume}"
            assert source in declared
            used.add((source, target))
    assert ("postgres-data", "/var/lib/postgresql/data") in used
    assert ("redis-data", "/data") in used


def test_media_volume_is_mounted_at_media_root_on_web_and_worker():
    compose = load_compose()
    for name in ("web", "worker"):
        service = compose["services"][name]
        media_root = service["environment"]["MEDIA_ROOT"]
        assert f"media:{media_root}" in service["volumes"]


def test_redis_keeps_an_append_only_file():
    command = load_compose()["services"]["redis"]["command"]
    assert command[0] == "redis-server"
    assert command[command.index("--appendonly") + 1] == "yes"


def test_start_order_waits_for_healthy_dependencies():
    services = load_compose()["services"]
    assert services["web"]["depends_on"] == {
        "migrate": {"condition": "service_completed_successfully"},
        "postgres": {"condition": "service_healthy"},
        "redis": {"condition": "service_healthy"},
        "clamav": {"condition": "service_healthy"},
    }
    assert services["migrate"]["depends_on"] == {"postgres": {"condition": "service_healthy"}}
    # Worker and beat start after the migrations ran and web answers /readyz.
    for name in ("worker", "beat"):
        assert services[name]["depends_on"]["web"] == {"condition": "service_healthy"}


def test_clamav_service_updates_its_own_signatures_and_web_points_at_it():
    """The official ClamAV image runs freshclam beside clamd; its signatures live on a volume."""
    services = load_compose()["services"]
    assert services["clamav"]["image"].startswith("clamav/clamav:")
    assert "clamav-data:/var/lib/clamav" in services["clamav"]["volumes"]
    environment = compose_environment()
    assert environment["CLAMAV_HOST"] == "clamav"
    assert environment["CLAMAV_PORT"] == "3310"
    assert "DOCUMENTS_ALLOW_UNSCANNED" not in environment


def test_app_services_share_image_and_environment():
    services = load_compose()["services"]
    first = services["web"]
    for name in APP_SERVICES:
        assert services[name]["build"] == "."
        assert services[name]["image"] == first["image"]
        assert services[name]["environment"] == first["environment"]


def test_required_secrets_are_demanded_from_the_operator():
    environment = compose_environment()
    assert environment["DJANGO_ENV"] == "production"
    assert "${SECRET_KEY:?" in environment["SECRET_KEY"]
    assert "${APP_DATABASE_PASSWORD:?" in environment["DATABASE_URL"]
    owner = compose_environment("migrate")
    assert "${POSTGRES_PASSWORD:?" in owner["MIGRATE_DATABASE_URL"]
    with pytest.raises(LookupError):
        interpolate(environment["SECRET_KEY"], {})


def test_database_url_points_at_the_postgres_service():
    compose = load_compose()
    url = interpolate(compose_environment()["DATABASE_URL"], TEST_SUBSTITUTIONS)
    postgres = compose["services"]["postgres"]["environment"]
    user, db = postgres["POSTGRES_USER"], postgres["POSTGRES_DB"]
    # The app connects as its own role, not as the owner of the tables.
    assert url == f"postgres://inburgering_app:deploy-test-app@postgres:5432/{db}"
    owner_url = interpolate(
        compose_environment("migrate")["MIGRATE_DATABASE_URL"], TEST_SUBSTITUTIONS
    )
    assert owner_url == f"postgres://{user}:deploy-test@postgres:5432/{db}"
    assert interpolate(postgres["POSTGRES_PASSWORD"], TEST_SUBSTITUTIONS) == "deploy-test"
    assert compose_environment()["REDIS_URL"] == "redis://redis:6379/0"


# --- environment: compose <-> settings.py <-> .env.example ----------------------------------------


def test_settings_env_names_are_found():
    names = settings_env_names()
    assert {"DJANGO_ENV", "SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL", "REDIS_URL"} <= names


def test_compose_passes_only_variables_settings_reads():
    unread = set(compose_environment()) - settings_env_names()
    assert not unread, f"compose passes variables settings.py never reads: {sorted(unread)}"


def test_compose_passes_every_production_required_variable():
    required = settings_production_required()
    assert {"SECRET_KEY", "ALLOWED_HOSTS", "DATABASE_URL"} <= required
    environment = {
        name: interpolate(str(value), TEST_SUBSTITUTIONS)
        for name, value in compose_environment().items()
    }
    for name in required:
        assert environment.get(name), f"compose does not pass {name}"


def env_example_names():
    pattern = re.compile(r"^#?\s*([A-Z][A-Z0-9_]*)=", re.MULTILINE)
    return set(pattern.findall(ENV_EXAMPLE.read_text()))


def compose_placeholder_names():
    names = set()
    for value in walk_strings(load_compose()):
        names |= placeholders(value)
    # $$HOSTNAME is the container's own variable, escaped from compose.
    return names


def test_env_example_documents_every_variable():
    documented = env_example_names()
    missing = (settings_env_names() | compose_placeholder_names()) - documented
    assert not missing, f".env.example does not document {sorted(missing)}"
    assert "POSTGRES_PASSWORD" in documented


def test_env_example_documents_nothing_stale():
    stale = env_example_names() - settings_env_names() - compose_placeholder_names()
    assert not stale, f".env.example documents variables nothing reads: {sorted(stale)}"


def test_env_example_comments_every_variable():
    lines = ENV_EXAMPLE.read_text().splitlines()
    for index, line in enumerate(lines):
        if re.match(r"^#?\s*[A-Z][A-Z0-9_]*=", line):
            assert index > 0
            above = lines[index - 1]
            assert above.startswith("# ") and not re.match(r"^#\s*[A-Z][A-Z0-9_]*=", above), line
    text = ENV_EXAMPLE.read_text()
    for name in settings_production_required():
        block = text[: text.index(f"# {name}=")].rsplit("\n\n", 1)[-1]
        assert "Required in production" in block, name


# --- commands run by compose and the Dockerfile ----------------------------------------------------


def test_web_runs_the_entrypoint_script():
    command = load_compose()["services"]["web"]["command"]
    assert command == [f"{APP_DIR}/docker/entrypoint-web.sh"]
    assert container_path_to_repo(command[0]) == ENTRYPOINT


def test_entrypoint_is_an_executable_shell_script():
    assert ENTRYPOINT.is_file()
    mode = ENTRYPOINT.stat().st_mode
    assert mode & stat.S_IXUSR and mode & stat.S_IXGRP and mode & stat.S_IXOTH
    # Git must record the executable bit too, or the image gets a non-executable copy.
    tracked = subprocess.run(
        ["git", "ls-files", "-s", str(ENTRYPOINT.relative_to(ROOT))],
        cwd=ROOT,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    if tracked:
        assert tracked.startswith("100755"), tracked
    text = ENTRYPOINT.read_text()
    assert text.startswith("#!/bin/sh\n")
    subprocess.run(["sh", "-n", str(ENTRYPOINT)], check=True)


def test_entrypoint_checks_the_migrations_before_starting_gunicorn():
    lines = [line.strip() for line in ENTRYPOINT.read_text().splitlines()]
    check = lines.index("python manage.py migrate --check")
    gunicorn = next(i for i, line in enumerate(lines) if line.startswith("exec gunicorn"))
    assert "set -eu" in lines[:check]
    assert check < gunicorn
    assert (ROOT / "manage.py").is_file()


def test_migrate_service_runs_as_owner_then_grants_the_app_role():
    """Issue 11 point 9: only the one-shot migrate service knows the owner's password."""
    services = load_compose()["services"]
    migrate = services["migrate"]
    assert migrate["command"] == [f"{APP_DIR}/docker/entrypoint-migrate.sh"]
    assert migrate["restart"] == "no"
    assert migrate["environment"]["DJANGO_DATABASE_ROLE"] == "owner"
    for name in APP_SERVICES:
        assert "MIGRATE_DATABASE_URL" not in services[name]["environment"]
        assert "DJANGO_DATABASE_ROLE" not in services[name]["environment"]
    lines = [line.strip() for line in MIGRATE_ENTRYPOINT.read_text().splitlines()]
    assert MIGRATE_ENTRYPOINT.stat().st_mode & stat.S_IXOTH
    assert lines[0] == "#!/bin/sh"
    migrate_line = lines.index("python manage.py migrate --noinput")
    assert "set -eu" in lines[:migrate_line]
    assert lines.index("python manage.py grant_app_role") > migrate_line
    subprocess.run(["sh", "-n", str(MIGRATE_ENTRYPOINT)], check=True)


def parse_gunicorn(args):
    from gunicorn.config import Config

    return Config().parser().parse_args(args)


@pytest.mark.parametrize("source", ["Dockerfile CMD", "entrypoint"])
def test_gunicorn_command_lines_parse(source):
    if source == "Dockerfile CMD":
        cmd = dockerfile_cmd()
        assert cmd[0] == "gunicorn"
        args = cmd[1:]
    else:
        args = entrypoint_gunicorn_args()
    parsed = parse_gunicorn(args)
    assert parsed.args == ["westfriesland.wsgi:application"]
    assert parsed.bind == ["0.0.0.0:8000"]
    assert parsed.workers == 3
    assert parsed.accesslog == "-"


def test_wsgi_application_imports():
    from django.core.handlers.wsgi import WSGIHandler
    from gunicorn.util import import_app

    assert isinstance(import_app("westfriesland.wsgi:application"), WSGIHandler)


def test_celery_app_resolves_like_the_cli():
    from celery.app.utils import find_app

    import westfriesland.celery

    assert westfriesland.celery.app.main == "westfriesland"
    # `celery -A westfriesland` resolves the package to this same app.
    assert find_app("westfriesland") is westfriesland.celery.app
    beat_scheduler = westfriesland.celery.app.conf.beat_scheduler
    assert beat_scheduler == "django_celery_beat.schedulers:DatabaseScheduler"


def celery_command_lines():
    services = load_compose()["services"]
    lines = []
    for name in ("worker", "beat"):
        lines.append(services[name]["command"])
    test = services["worker"]["healthcheck"]["test"]
    assert test[0] == "CMD-SHELL"
    lines.append(shlex.split(interpolate(test[1], {})))
    return lines


def _options(command):
    options = set()
    for param in command.params:
        options.update(getattr(param, "opts", []))
        options.update(getattr(param, "secondary_opts", []))
    return options


@pytest.mark.parametrize("index", range(3), ids=["worker", "beat", "worker-healthcheck"])
def test_celery_command_lines_use_existing_subcommands_and_options(index):
    from celery.bin.celery import celery as celery_cli

    argv = celery_command_lines()[index]
    assert argv[:3] == ["celery", "-A", "westfriesland"]
    subcommand = argv[3]
    assert subcommand in celery_cli.commands, subcommand
    known = _options(celery_cli) | _options(celery_cli.commands[subcommand])
    for arg in argv[4:]:
        if arg.startswith("-"):
            assert arg.split("=", 1)[0] in known, f"celery {subcommand} has no option {arg}"


def test_worker_health_check_pings_its_own_node():
    from celery.app.control import Inspect
    from celery.utils.nodenames import default_nodename

    argv = celery_command_lines()[2]
    assert argv[3:5] == ["inspect", "ping"]
    assert hasattr(Inspect, "ping")
    destination = argv[argv.index("-d") + 1]
    # The worker names itself celery@<hostname>; the container's $HOSTNAME is that hostname.
    assert default_nodename(None).split("@")[0] == destination.split("@")[0]
    assert destination == "celery@$HOSTNAME"


def test_beat_health_check_reads_the_pidfile_beat_writes():
    beat = load_compose()["services"]["beat"]
    pidfile = next(a.split("=", 1)[1] for a in beat["command"] if a.startswith("--pidfile="))
    test = beat["healthcheck"]["test"]
    assert test[:3] == ["CMD", "python", "-c"]
    source = test[3]
    compile(source, "beat-healthcheck", "exec")
    assert repr(pidfile) in source
    assert "REDIS_URL" in source and "REDIS_URL" in beat["environment"]


def test_web_health_check_reaches_readyz_on_an_allowed_host():
    from django.urls import resolve

    web = load_compose()["services"]["web"]
    test = web["healthcheck"]["test"]
    assert test[:2] == ["CMD", "curl"]
    url = test[-1]
    assert url == "http://localhost:8000/readyz"
    assert resolve("/readyz").url_name == "readyz"
    assert "8000:8000" in web["ports"]
    allowed = interpolate(web["environment"]["ALLOWED_HOSTS"], {}).split(",")
    assert "localhost" in allowed


@pytest.mark.slow
def test_readyz_answers_the_health_check_in_production_mode():
    """GET /readyz as curl in the web container would: production settings, Host localhost:8000,
    plain HTTP. A 301 (HTTPS redirect) or 400 (host not allowed) would fail the health check."""
    script = NO_DOTENV + (
        "import django; django.setup(); from django.test import Client; "
        "r = Client().get('/readyz', HTTP_HOST='localhost:8000'); "
        "print(r.status_code, r.content.decode())"
    )
    result = subprocess.run(
        [sys.executable, "-c", script],
        cwd=ROOT,
        env=production_environment(),
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    status, _, body = result.stdout.strip().splitlines()[-1].partition(" ")
    # 200 when the database and Redis answer, 503 when not: both are answers from the view.
    assert status in ("200", "503"), result.stdout
    assert json.loads(body)["checks"].keys() >= {"database", "redis"}


# --- Dockerfile and .dockerignore -----------------------------------------------------------------


def test_dockerfile_is_multi_stage_node_then_python():
    froms = [args for _, keyword, args in dockerfile_instructions() if keyword == "FROM"]
    assert froms == ["node:20-bookworm-slim AS node", "python:3.11-slim-bookworm"]
    node_runs = [
        args
        for stage, keyword, args in dockerfile_instructions()
        if stage == 0 and keyword == "RUN"
    ]
    assert any(args.startswith("npm ci --omit=dev") for args in node_runs)
    copies = [a for s, k, a in dockerfile_instructions() if s == 0 and k == "COPY"]
    assert copies == ["package.json package-lock.json ./"]


def test_dockerfile_copy_sources_exist():
    for keyword, arguments in final_stage():
        if keyword == "COPY" and not arguments.startswith("--from"):
            *sources, _target = arguments.split()
            for source in sources:
                assert (ROOT / source).exists(), source


def test_dockerfile_installs_runtime_libraries_lean():
    runs = [arguments for keyword, arguments in final_stage() if keyword == "RUN"]
    (apt,) = [run for run in runs if "apt-get install" in run]
    assert "--no-install-recommends" in apt
    assert "rm -rf /var/lib/apt/lists/*" in apt
    packages = set(apt.split("apt-get install", 1)[1].split("&&", 1)[0].split())
    assert {
        "libpango-1.0-0",
        "libpangoft2-1.0-0",
        "libharfbuzz0b",
        "libharfbuzz-subset0",
        "fonts-dejavu-core",
        "fonts-liberation",
        "curl",
    } <= packages
    assert any("pip install --no-cache-dir -r requirements.txt" in run for run in runs), (
        "requirements.txt is not installed without cache"
    )


def test_dockerfile_runs_as_non_root_user():
    stage = final_stage()
    users = [arguments for keyword, arguments in stage if keyword == "USER"]
    assert users and users[-1] not in ("root", "0", "0:0")
    user = users[-1].split(":")[0]
    (run,) = [a for k, a in stage if k == "RUN" and "useradd" in a]
    (useradd,) = [part.split() for part in run.split("&&") if part.split()[0] == "useradd"]
    assert useradd[useradd.index("--uid") + 1] == "1000"
    assert useradd[-1] == user
    # Everything after USER runs unprivileged; the last instruction is the CMD.
    assert stage[-1][0] == "CMD"
    assert ("WORKDIR", APP_DIR) in stage
    assert ("EXPOSE", "8000") in stage


def test_dockerfile_prepares_media_root_for_the_app_user():
    (useradd,) = [a for k, a in final_stage() if k == "RUN" and "useradd" in a]
    media_root = compose_environment()["MEDIA_ROOT"]
    assert f"mkdir -p {media_root}" in useradd
    assert f"chown app:app {media_root}" in useradd


def test_node_modules_come_from_the_node_stage():
    copies = [a for k, a in final_stage() if k == "COPY" and a.startswith("--from=node")]
    assert copies == ["--from=node /build/node_modules ./node_modules"]
    ignored = DOCKERIGNORE.read_text().split()
    assert "node_modules" in ignored


def dockerignore_patterns():
    return [
        line.strip()
        for line in DOCKERIGNORE.read_text().splitlines()
        if line.strip() and not line.startswith("#")
    ]


def _dockerignore_regex(pattern):
    """A .dockerignore pattern as a regex over the whole relative path (Docker's rules: anchored
    at the context root, `*` within one path element, `**` across elements)."""
    regex, i = "", 0
    while i < len(pattern):
        if pattern.startswith("**/", i):
            regex, i = regex + "(?:.*/)?", i + 3
        elif pattern.startswith("**", i):
            regex, i = regex + ".*", i + 2
        elif pattern[i] == "*":
            regex, i = regex + "[^/]*", i + 1
        elif pattern[i] == "?":
            regex, i = regex + "[^/]", i + 1
        elif pattern[i] == "[":
            end = pattern.index("]", i)
            regex, i = regex + pattern[i : end + 1], end + 1
        else:
            regex, i = regex + re.escape(pattern[i]), i + 1
    return re.compile(regex + r"\Z")


def is_ignored(path):
    """Whether Docker leaves `path` out of the build context (a matched directory takes its
    contents with it; the last matching pattern wins, `!` re-includes)."""
    parts = path.split("/")
    prefixes = ["/".join(parts[: i + 1]) for i in range(len(parts))]
    ignored = False
    for pattern in dockerignore_patterns():
        negate = pattern.startswith("!")
        regex = _dockerignore_regex(pattern.removeprefix("!").strip("/"))
        if any(regex.match(prefix) for prefix in prefixes):
            ignored = not negate
    return ignored


@pytest.mark.parametrize(
    "path", [".venv", "node_modules", ".git", "var", "staticfiles", ".env", "media", "test-results"]
)
def test_dockerignore_excludes(path):
    assert is_ignored(path)
    assert is_ignored(f"{path}/anything")


def test_dockerignore_excludes_bytecode_and_local_env_files():
    assert is_ignored("westfriesland/__pycache__/settings.cpython-311.pyc")
    assert is_ignored("intake/tasks.pyc")
    assert is_ignored(".env.production")
    assert not is_ignored(".env.example")


@pytest.mark.parametrize(
    "path",
    [
        "manage.py",
        "requirements.txt",
        "package.json",
        "package-lock.json",
        "docker/entrypoint-web.sh",
        "westfriesland/settings.py",
        "static/css/app.css",
        "templates/base.html",
    ],
)
def test_dockerignore_keeps_what_the_image_needs(path):
    assert (ROOT / path).exists()
    assert not is_ignored(path)


def dockerfile_collectstatic():
    runs = [a for k, a in final_stage() if k == "RUN" and "collectstatic" in a]
    (run,) = runs
    tokens = shlex.split(run)
    environment = {}
    while "=" in tokens[0] and not tokens[0].startswith("-"):
        name, _, value = tokens.pop(0).partition("=")
        environment[name] = value
    return environment, tokens


def test_collectstatic_build_values_satisfy_production_settings():
    environment, command = dockerfile_collectstatic()
    assert environment["DJANGO_ENV"] == "production"
    assert settings_production_required() <= set(environment)
    assert command[:4] == ["python", "manage.py", "collectstatic", "--noinput"]
    # Build-only values stay on the RUN line: no ENV instruction bakes them into the image.
    env_lines = " ".join(a for k, a in final_stage() if k in ("ENV", "ARG"))
    for name in settings_production_required():
        assert name not in env_lines


@pytest.mark.slow
def test_collectstatic_runs_as_in_the_image(tmp_path):
    """The Dockerfile's collectstatic line, run here with STATIC_ROOT in a temporary directory."""
    if not all((ROOT / "node_modules" / p).is_dir() for p in ("@utrecht", "htmx.org")):
        pytest.skip("node_modules missing: run `npm ci` (the image runs it in the node stage)")
    environment, command = dockerfile_collectstatic()
    static_root = tmp_path / "staticfiles"
    (tmp_path / "deploy_static_settings.py").write_text(
        f"from westfriesland.settings import *  # noqa\nSTATIC_ROOT = {str(static_root)!r}\n"
    )
    env = production_environment(**environment)
    env["DJANGO_SETTINGS_MODULE"] = "deploy_static_settings"
    env["PYTHONPATH"] = os.pathsep.join([str(tmp_path), str(ROOT)])
    # Without the brotli module WhiteNoise writes only the .gz files: the image also writes .br
    # files, which takes about two minutes for the ~1,400 files; nothing else differs.
    try:
        result = run_python_file(command[1:], env, prelude="sys.modules['brotli'] = None; ")
        assert result.returncode == 0, result.stdout[-2000:] + result.stderr[-4000:]
        manifest = json.loads((static_root / "staticfiles.json").read_text())["paths"]
        for name in ("build/utrecht.css", "htmx/htmx.min.js"):
            assert name in manifest
            assert (static_root / (manifest[name] + ".gz")).is_file()
    finally:
        shutil.rmtree(static_root, ignore_errors=True)


# --- Django's deployment checklist -----------------------------------------------------------------


@pytest.mark.slow
def test_check_deploy_passes_with_the_compose_environment():
    result = run_python_file(
        ["manage.py", "check", "--deploy", "--fail-level", "WARNING"], production_environment()
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert "System check identified no issues" in result.stdout


def test_make_test_names_the_one_command_for_a_missing_system_package(tmp_path):
    """Not root (or no apt): the missing packages are named in one install command, and it
    stops; nothing is half-installed."""
    import subprocess

    script = Path(__file__).resolve().parent.parent / "bin" / "ensure-system-packages"
    fake_bin = tmp_path / "bin"
    fake_bin.mkdir()
    # A machine where dpkg knows none of the packages and the user is not root.
    (fake_bin / "dpkg-query").write_text("#!/bin/sh\nexit 1\n")
    (fake_bin / "id").write_text("#!/bin/sh\necho 1000\n")
    for tool in ("dpkg-query", "id"):
        (fake_bin / tool).chmod(0o755)
    result = subprocess.run(
        ["/bin/bash", str(script)],
        capture_output=True,
        text=True,
        env={"PATH": f"{fake_bin}:/usr/bin:/bin"},
    )
    assert result.returncode == 1
    assert "sudo apt-get install -y --no-install-recommends chromium poppler-utils" in result.stdout
