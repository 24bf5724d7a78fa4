"""The independent validators of issue 16, for tests: the Nu Html Checker and pa11y.

Both come from the npm registry as devDependencies in package.json (`make install` runs
`npm ci` with PUPPETEER_SKIP_DOWNLOAD=1: pa11y's puppeteer drives Debian's /usr/bin/chromium and
must not fetch a browser of its own). The Nu Html Checker is a Java program (`vnu-jar` ships the
jar); Java is on the machine.

    assert_valid_html(html, name)          one document, one JVM
    assert_valid_html_documents(docs)      many documents ({name: html}), still one JVM
    assert_pa11y_clean(url, cookies=...)   pa11y, runner htmlcs, WCAG2AA, in headless Chromium

`html_errors` and `pa11y_errors` return what the assert functions fail on, for counting.
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
