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
