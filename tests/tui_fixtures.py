"""Helpers for the review-screen tests: build the app on a copy of the ingested sample database."""

from __future__ import annotations

import asyncio
from pathlib import Path

from claimdesk.store.database import Database
from claimdesk.tui.app import ClaimdeskApp

REVIEWER = "ana"


def make_app(db_path: Path, reviewer: str = REVIEWER, **options) -> ClaimdeskApp:
    """The app with deterministic output: fixed db label, no clock, fast polling and retries."""
    options.setdefault("show_times", False)
    options.setdefault("db_label", "test.db")
    options.setdefault("poll_interval", 0.2)
    options.setdefault("retry_delay", 0.05)
    options.setdefault("recovery_dir", db_path.parent / "recovery")  # never the user's own state folder
    return ClaimdeskApp(Database.open(db_path), reviewer, **options)


def record_notifications(app) -> list[str]:
    """The messages of every notification the app shows from now on (`App.notify` wrapped)."""
    messages: list[str] = []
    notify = app.notify

    def recording(message, *args, **kwargs):
        messages.append(str(message))
        return notify(message, *args, **kwargs)

    app.notify = recording
    return messages


async def until(pilot, check, tries: int = 200) -> None:
    """Let the app run until `check()` holds (each try processes pending messages)."""
    for _ in range(tries):
        if check():
            return
        await pilot.pause(0.01)
    assert check(), "condition never held"


async def ready(pilot) -> None:
    app = pilot.app
    await until(pilot, lambda: app.session is not None and app.review is not None and app.review.ready)
    await until(pilot, lambda: app.session.links_ready)  # read just after the first screen
    await pilot.pause()


async def saved(pilot) -> None:
    """Wait until every queued write is in the database, and its message handled."""
    app = pilot.app
    assert await asyncio.to_thread(app.writer.flush, 10)
    await pilot.pause()


def no_cursor_blink(pilot) -> None:
    from textual.widgets import Input

    for widget in pilot.app.query(Input):
        widget.cursor_blink = False


def changed_sample(sample_dir: Path, corpus, dest: Path, *, article: int = 0, claim: int = 0,
                   new_sentence: str = "The ministry said 4,321 reservists were moved to Kursk on 3 May 2024.") -> tuple[Path, str]:
    """A copy of the sample story at `dest` in which one claim of one article is rewritten (so that
    claim's id is gone after a re-ingest, the article's other claims keep theirs). Returns the
    folder and the id of the claim that goes."""
    import shutil

    shutil.copytree(sample_dir, dest)
    target = corpus.articles[article]
    gone = corpus.claims_of(target.id)[claim]
    file = dest / target.source
    text = file.read_text(encoding="utf-8")
    assert gone.text in text, f"{gone.text!r} is not verbatim in {file}"
    file.write_text(text.replace(gone.text, new_sentence, 1), encoding="utf-8")
    return dest, gone.id


def reingest(folder: Path, db_path: Path):
    """Ingest `folder` into the database as another reviewer's `claimdesk ingest` would."""
    from claimdesk.tui.ingest import ingest_paths

    return ingest_paths([folder], Database.open(db_path))
