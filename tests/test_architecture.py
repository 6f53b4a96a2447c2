"""The one-way layering extract <- store <- tui, and start-up costs that depend on imports."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def test_import_linter_contracts_hold():
    result = subprocess.run(
        [str(BIN / "lint-imports"), "--config", str(ROOT / "pyproject.toml")],
        cwd=ROOT,
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stdout + result.stderr
    assert " 0 broken" in result.stdout and "No import cycles inside store" in result.stdout


def _modules_after(code: str) -> set[str]:
    probe = code + "\nimport sys\nprint('\\n'.join(sorted(sys.modules)))\n"
    result = subprocess.run(
        [sys.executable, "-c", probe], cwd=ROOT, capture_output=True, text=True, check=True
    )
    return set(result.stdout.split())


def test_cli_start_imports_neither_spacy_nor_textual():
    mods = _modules_after("import claimdesk.tui.cli; claimdesk.tui.cli.build_parser()")
    assert "spacy" not in mods
    assert "textual" not in mods


def test_store_and_linking_never_import_spacy_or_textual():
    mods = _modules_after("import claimdesk.store.database, claimdesk.store.export, claimdesk.extract.links, claimdesk.extract.readers")
    assert "spacy" not in mods
    assert "textual" not in mods


def test_no_private_name_of_another_library_is_used():
    """Other libraries through their public API only: no `_private` module, attribute or
    overridden method of textual, rich, spaCy, tinydb or anyone (tests/private_names.py)."""
    import pkgutil

    import claimdesk.extract
    import claimdesk.store
    import claimdesk.tui
    from private_names import static_findings, subclass_findings

    folders = ("extract", "store", "tui", "tests", "bench")
    found = static_findings(ROOT, folders)
    modules = ["bench.run", "bench.corpus"]
    for package in (claimdesk.extract, claimdesk.store, claimdesk.tui):
        modules += [m.name for m in pkgutil.walk_packages(package.__path__, package.__name__ + ".")]
    found += subclass_findings(modules, ("claimdesk", "bench", "tests"))
    assert not found, "private names of other libraries:\n" + "\n".join(found)


def test_the_private_name_scan_finds_each_kind_of_use(tmp_path):
    """The scan above on a made-up package: each kind of private use is reported, our own
    privates and documented underscore names are not."""
    from private_names import static_findings, subclass_findings

    (tmp_path / "pkg").mkdir()
    (tmp_path / "pkg" / "bad.py").write_text(
        "import os\n"
        "from rich._wrap import divide_line\n"
        "from textual.widgets import OptionList\n"
        "class Mine(OptionList):\n"
        "    def _update_lines(self):\n"
        "        self._mine = self._line_cache\n"
        "def go(screen):\n"
        "    os._exit(0)\n"
        "    return screen._compositor, getattr(screen, '_dirty_regions'), Mine()._mine\n"
    )
    found = "\n".join(static_findings(tmp_path, ["pkg"]))
    assert "from rich._wrap" in found
    assert "screen._compositor" in found and "_dirty_regions" in found and "_line_cache" in found
    assert "_exit" not in found and "_mine" not in found
    sys.path.insert(0, str(tmp_path))
    try:
        found = "\n".join(subclass_findings(["pkg.bad"], ("pkg",)))
    finally:
        sys.path.remove(str(tmp_path))
    assert "_update_lines" in found and "_line_cache" in found and "_mine" not in found
