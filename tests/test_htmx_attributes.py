"""Issue 16 point 1: htmx attributes are written `data-hx-*`, the form that is valid HTML."""

import re
import subprocess
import sys
from pathlib import Path

from django.conf import settings
from django.template import engines

ROOT = Path(settings.BASE_DIR)
BARE = re.compile(r"(?<![\w-])hx-[a-z][a-z0-9:-]*\s*=")


def template_files():
    folders = set()
    for engine in engines.all():
        for loader in engine.engine.template_loaders:
            folders.update(Path(d) for d in loader.get_dirs())
    for folder in sorted(folders):
        if ROOT not in folder.parents:
            continue  # Django's own and third-party templates
        yield from sorted(folder.rglob("*.html"))
    yield from sorted((ROOT / "static" / "js").rglob("*.js"))


def test_no_template_or_script_uses_a_bare_hx_attribute():
    files = list(template_files())
    assert any(f.name == "base.html" for f in files)
    bare = [
        f"{path.relative_to(ROOT)}:{number}: {match.group(0)}"
        for path in files
        for number, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1)
        for match in BARE.finditer(line)
    ]
    assert not bare, "use data-hx-* (bin/rename-htmx-attributes):\n" + "\n".join(bare)


def test_the_templates_do_use_htmx_in_its_data_form():
    base = (ROOT / "templates" / "base.html").read_text(encoding="utf-8")
    assert "data-hx-headers=" in base


def test_the_rename_script_is_idempotent_and_its_check_passes():
    script = ROOT / "bin" / "rename-htmx-attributes"
    result = subprocess.run(
        [sys.executable, str(script), "--check"], capture_output=True, text=True, check=False
    )
    assert result.returncode == 0, result.stdout
    namespace: dict = {"__file__": str(script), "__name__": "rename_htmx_attributes"}
    exec(compile(script.read_text(), str(script), "exec"), namespace)  # noqa: S102
    rewrite = namespace["rewrite"]
    once = rewrite('<a hx-get="/x" hx-on:click="y" data-hx-target="#t" class="app-hx-z">')
    assert once == '<a data-hx-get="/x" data-hx-on:click="y" data-hx-target="#t" class="app-hx-z">'
    assert rewrite(once) == once
