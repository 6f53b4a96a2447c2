"""`claimdesk review` on the command line, and `review PATH...` ingesting in a worker first."""

from __future__ import annotations

import asyncio
import subprocess
import sys
from pathlib import Path

from claimdesk.store.database import Database
from claimdesk.tui.app import ClaimdeskApp
from claimdesk.tui.commands.review import parse_keys
from claimdesk.tui.screens.ingest import IngestScreen

from tui_fixtures import make_app, ready, record_notifications, until

BIN = Path(sys.executable).parent


def claimdesk(*args: str) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "claimdesk"), *args], capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL)


def test_missing_database_is_one_line_error(tmp_path):
    result = claimdesk("review", "--db", str(tmp_path / "nothing.db"))
    assert result.returncode == 2
    assert result.stderr.count("\n") == 1
    assert result.stderr.startswith(f"claimdesk: {tmp_path / 'nothing.db'}: ")
    assert "Traceback" not in result.stderr


def test_missing_path_and_bad_keys_are_one_line_errors(tmp_path, sample_db):
    result = claimdesk("review", "--db", str(sample_db), str(tmp_path / "nope"))
    assert result.returncode == 2 and "no such file or folder" in result.stderr
    result = claimdesk("review", "--db", str(sample_db), "--keys", "tag-disputed")
    assert result.returncode == 2 and "not ID=KEY" in result.stderr
    assert parse_keys("tag-disputed=D; quit=ctrl+q,Q") == {"tag-disputed": "D", "quit": "ctrl+q,Q"}


def test_without_a_terminal_it_says_so(sample_db):
    result = claimdesk("review", "--db", str(sample_db))
    assert result.returncode == 2
    assert "needs a terminal" in result.stderr


def test_review_paths_ingests_first_with_progress_then_reviews(tmp_path, sample_dir, nlp):
    db = Database.open(tmp_path / "new.db", create=True)
    seen: list[str] = []

    async def go():
        app = ClaimdeskApp(db, "ana", paths=[sample_dir], show_times=False, db_label="new.db")
        notices = record_notifications(app)
        async with app.run_test(size=(100, 30)) as pilot:
            await until(pilot, lambda: isinstance(app.screen, IngestScreen) or app.session is not None)
            if isinstance(app.screen, IngestScreen):
                seen.append("ingest screen")
            await until(pilot, lambda: app.session is not None, tries=3000)
            await ready(pilot)
            assert app.ingest_summary.articles_new == 5
            assert app.session.total == len(Database.open(tmp_path / "new.db").corpus().claims) > 0
            assert any("Ingested 5 new" in n for n in notices)
            await pilot.press("c")
            assert app.session.reviewed_total == 1

    asyncio.run(go())
    assert seen == ["ingest screen"]


def test_screen_export_is_private_and_stays_out_of_the_database(sample_db, tmp_path):
    """`E` writes through the same guard as `claimdesk export -o`: 0600, never into a database."""
    import os
    import stat

    notes: list[str] = []

    async def go():
        app = make_app(sample_db, export_dir=tmp_path)
        app.notify = lambda message, **kw: notes.append(str(message))  # what the reviewer is told
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            old = os.umask(0)
            try:
                app.export_to(tmp_path / "mine.csv")
                await until(pilot, lambda: any("Exported" in n for n in notes))
                app.export_to(sample_db / "corpus.json")
                await until(pilot, lambda: any("Export failed" in n for n in notes))
                await app.workers.wait_for_complete()
            finally:
                os.umask(old)

    before = (sample_db / "corpus.json").read_bytes()
    asyncio.run(go())
    assert stat.S_IMODE((tmp_path / "mine.csv").stat().st_mode) == 0o600
    assert (sample_db / "corpus.json").read_bytes() == before
    failed = next(n for n in notes if "Export failed" in n)
    assert "inside the database folder" in failed


def test_the_screen_uses_the_reviewer_name_the_store_saves(monkeypatch):
    """`--reviewer ' ana\u200b '` is the reviewer "ana" on the screen as in the judgements."""
    import argparse

    from claimdesk.tui.commands.common import reviewer_name

    monkeypatch.delenv("CLAIMDESK_REVIEWER", raising=False)
    assert reviewer_name(argparse.Namespace(reviewer=" ana\u200b ")) == "ana"
    assert reviewer_name(argparse.Namespace(reviewer="\uff41na")) == "ana"  # NFKC: full-width a
