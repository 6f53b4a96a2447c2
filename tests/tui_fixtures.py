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
