"""The independent validators of issue 16, for tests: the Nu Html Checker, pa11y and axe-core.

Both come from the npm registry as devDependencies in package.json (`make install` runs
`npm ci` with PUPPETEER_SKIP_DOWNLOAD=1: pa11y's puppeteer drives Debian's /usr/bin/chromium and
must not fetch a browser of its own). The Nu Html Checker is a Java program (`vnu-jar` ships the
jar); Java is on the machine.

    assert_valid_html(html, name)          one document, one JVM
    assert_valid_html_documents(docs)      many documents ({name: html}), still one JVM
    assert_pa11y_clean(url, cookies=...)   pa11y, runner htmlcs, WCAG2AA, in headless Chromium
    assert_accessible_documents(docs)      pa11y (htmlcs, WCAG2AA) and axe-core (pa11y's axe
                                           runner: WCAG 2.0/2.1 A+AA and best practices) over
                                           many documents in one Chromium (tests/a11y_batch.js),
                                           served over HTTP with the site's static files

`html_errors`, `pa11y_errors` and `accessibility_errors` return what the assert functions fail
on, for counting. axe-core (4.13.0) comes with pa11y (its dependency, in package-lock.json).
"""

import json
import os
import re
import shutil
import subprocess
import tempfile
from pathlib import Path

BASE_DIR = Path(__file__).resolve().parent.parent
NODE_MODULES = BASE_DIR / "node_modules"
VNU_JAR = NODE_MODULES / "vnu-jar" / "build" / "dist" / "vnu.jar"
PA11Y = NODE_MODULES / ".bin" / "pa11y"
CHROMIUM = "/usr/bin/chromium"
# Debian's Chromium in a container, with nothing phoning home while a page is checked.
CHROMIUM_FLAGS = [
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
]
PA11Y_STANDARD = "WCAG2AA"
PA11Y_RUNNER = "htmlcs"


class ValidatorMissing(RuntimeError):
    """A validator is not installed: run `make install` (npm ci) and have Java and Chromium."""


def _file_name(name: str) -> str:
    return re.sub(r"[^A-Za-z0-9_.-]+", "_", name).strip("_")[:80] or "document"


def html_errors(documents: dict[str, str]) -> dict[str, list[str]]:
    """Every Nu Html Checker error per document, `line N: message`, in one JVM for all of them."""
    java = shutil.which("java")
    if java is None or not VNU_JAR.exists():
        raise ValidatorMissing(f"needs java and {VNU_JAR.relative_to(BASE_DIR)}")
    errors: dict[str, list[str]] = {name: [] for name in documents}
    with tempfile.TemporaryDirectory(prefix="vnu-") as folder:
        by_path = {}
        for index, (name, html) in enumerate(documents.items()):
            path = Path(folder) / f"{index:04d}-{_file_name(name)}.html"
            path.write_text(html, encoding="utf-8")
            by_path[path.resolve().as_uri()] = name
            by_path[str(path.resolve())] = name
        result = subprocess.run(
            [
                java,
                "-Xss16m",
                "-jar",
                str(VNU_JAR),
                "--format",
                "json",
                "--stdout",
                "--exit-zero-always",
            ]
            + sorted(str(Path(folder) / f) for f in os.listdir(folder)),
            capture_output=True,
            text=True,
            timeout=300,
            check=False,
        )
        if result.returncode != 0 or not result.stdout.strip():
            raise ValidatorMissing(f"vnu failed ({result.returncode}): {result.stderr[-2000:]}")
        for message in json.loads(result.stdout)["messages"]:
            if message.get("type") not in ("error", "non-document-error"):
                continue
            url = message.get("url", "")
            name = by_path.get(url) or by_path.get(url.removeprefix("file:")) or url
            line = message.get("lastLine", "?")
            errors.setdefault(name, []).append(f"line {line}: {message.get('message', '')}")
    return errors


def assert_valid_html_documents(documents: dict[str, str]) -> None:
    found = {name: messages for name, messages in html_errors(documents).items() if messages}
    assert not found, "Nu Html Checker:\n" + "\n".join(
        f"{name}: {message}" for name, messages in found.items() for message in messages
    )


def assert_valid_html(html: str, name: str = "document") -> None:
    assert_valid_html_documents({name: html})


def pa11y_errors(url: str, *, cookies: dict[str, str] | None = None) -> list[str]:
    """pa11y's errors (not warnings or notices) on one page: `code: message (selector)`."""
    if not PA11Y.exists() or not Path(CHROMIUM).exists():
        raise ValidatorMissing(f"needs {PA11Y.relative_to(BASE_DIR)} and {CHROMIUM}")
    config = {
        "chromeLaunchConfig": {
            "executablePath": CHROMIUM,
            "headless": True,
            "args": CHROMIUM_FLAGS,
        },
        "timeout": 60000,
    }
    if cookies:
        config["headers"] = {"Cookie": "; ".join(f"{k}={v}" for k, v in cookies.items())}
    with tempfile.NamedTemporaryFile("w", suffix=".json", prefix="pa11y-") as file:
        json.dump(config, file)
        file.flush()
        result = subprocess.run(
            [
                str(PA11Y),
                "--config",
                file.name,
                "--runner",
                PA11Y_RUNNER,
                "--standard",
                PA11Y_STANDARD,
                "--reporter",
                "json",
                url,
            ],
            capture_output=True,
            text=True,
            timeout=180,
            check=False,
            env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"},
        )
    # 0: no errors, 2: errors found; anything else is pa11y (or the browser) failing.
    if result.returncode not in (0, 2):
        raise ValidatorMissing(f"pa11y failed ({result.returncode}): {result.stderr[-2000:]}")
    issues = json.loads(result.stdout or "[]")
    return [
        f"{issue['code']}: {issue['message']} ({issue.get('selector', '')})"
        for issue in issues
        if issue.get("type") == "error"
    ]


def assert_pa11y_clean(url: str, *, cookies: dict[str, str] | None = None) -> None:
    errors = pa11y_errors(url, cookies=cookies)
    assert not errors, f"pa11y ({PA11Y_RUNNER}, {PA11Y_STANDARD}) on {url}:\n" + "\n".join(errors)


A11Y_BATCH = Path(__file__).resolve().parent / "a11y_batch.js"


class _Site:
    """The documents ({name: html}) served over HTTP with the site's static files, so the browser
    applies the real CSS (contrast) and scripts: `url(name)` is where a document is served."""

    def __init__(self, documents: dict[str, str]):
        import http.server
        import mimetypes
        import threading

        from django.conf import settings
        from django.contrib.staticfiles import finders

        self.paths = {name: f"/page/{index:04d}.html" for index, name in enumerate(documents)}
        by_path = {self.paths[name]: html.encode() for name, html in documents.items()}
        static_url = settings.STATIC_URL

        class Handler(http.server.BaseHTTPRequestHandler):
            def do_GET(self):  # noqa: N802 (http.server's name)
                path = self.path.split("?", 1)[0]
                body, kind = by_path.get(path), "text/html; charset=utf-8"
                if body is None and path.startswith(static_url):
                    found = finders.find(path.removeprefix(static_url))
                    if found:
                        body = Path(found).read_bytes()
                        kind = mimetypes.guess_type(found)[0] or "application/octet-stream"
                        if kind.startswith("text/") or kind.endswith("javascript"):
                            kind += "; charset=utf-8"
                if body is None:
                    self.send_response(404)
                    self.send_header("Content-Length", "0")
                    self.end_headers()
                    return
                self.send_response(200)
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)

    def url(self, name: str) -> str:
        return f"http://127.0.0.1:{self.server.server_port}{self.paths[name]}"

    def __enter__(self):
        self.thread.start()
        return self

    def __exit__(self, *exc):
        self.server.shutdown()
        self.server.server_close()
        self.thread.join()


def _a11y_failure(issue: dict) -> bool:
    """An htmlcs error, or any axe violation (whatever its impact, as the browser tests count
    them; what axe could not decide, `incomplete`, is left to a person)."""
    if issue["runner"] == "axe":
        return not issue["needsFurtherReview"]
    return issue["type"] == "error"


def accessibility_errors(documents: dict[str, str]) -> dict[str, list[str]]:
    """pa11y (htmlcs, WCAG2AA) and axe-core findings per document, all in one Chromium:
    `runner code: message (selector)`."""
    node = shutil.which("node")
    if node is None or not (NODE_MODULES / "pa11y").exists() or not Path(CHROMIUM).exists():
        raise ValidatorMissing(
            f"needs node, {NODE_MODULES.relative_to(BASE_DIR)}/pa11y, {CHROMIUM}"
        )
    with _Site(documents) as site, tempfile.NamedTemporaryFile("w", suffix=".json") as file:
        urls = {site.url(name): name for name in documents}
        json.dump(
            {"urls": list(urls), "chromium": CHROMIUM, "args": CHROMIUM_FLAGS, "timeout": 60000},
            file,
        )
        file.flush()
        result = subprocess.run(
            [node, str(A11Y_BATCH), file.name],
            capture_output=True,
            text=True,
            timeout=60 + 30 * len(documents),
            check=False,
            cwd=BASE_DIR,
            env={**os.environ, "PUPPETEER_SKIP_DOWNLOAD": "1"},
        )
    if result.returncode != 0 or not result.stdout.strip():
        raise ValidatorMissing(f"pa11y/axe failed ({result.returncode}): {result.stderr[-2000:]}")
    errors: dict[str, list[str]] = {name: [] for name in documents}
    for url, issues in json.loads(result.stdout).items():
        errors[urls[url]] = [
            f"{issue['runner']} {issue['code']}: {issue['message']} ({issue.get('selector', '')})"
            for issue in issues
            if _a11y_failure(issue)
        ]
    return errors


def assert_accessible_documents(documents: dict[str, str]) -> None:
    found = {
        name: messages for name, messages in accessibility_errors(documents).items() if messages
    }
    assert not found, f"pa11y ({PA11Y_RUNNER}, {PA11Y_STANDARD}) and axe-core:\n" + "\n".join(
        f"{name}: {message}" for name, messages in found.items() for message in messages
    )
