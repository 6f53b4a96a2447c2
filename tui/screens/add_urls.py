"""Adding articles from the web while reviewing: `I` opens a prompt for URLs (pages or feeds), which are
fetched and ingested in a worker thread while the reviewer goes on; the corpus is then read again and the
reviewer's place kept.

    app.push_screen(UrlPromptScreen(), lambda urls: ingest_urls_in_background(app, urls))

The worker opens its own `Database` on the same folder (as another process would: the store's locks keep
writers apart), so the review screen's save queue is never held up by a long fetch or by spaCy. When it is
done, one notification says what came in and names the first refused URLs with their reasons.
"""

from __future__ import annotations

import re
from typing import Any

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Vertical
from textual.screen import ModalScreen
from textual.widgets import Input, Label

from claimdesk.tui.web import is_url

__all__ = ["UrlPromptScreen", "ingest_urls_in_background", "parse_urls"]

_SPLIT = re.compile(r"[\s,]+")
_SHOWN_PROBLEMS = 3


def parse_urls(text: str) -> tuple[list[str], list[str]]:
    """(URLs, entries that are not http(s) URLs) of what the reviewer typed (spaces or commas between)."""
    entries = [e for e in _SPLIT.split(text.strip()) if e]
    return [e for e in entries if is_url(e)], [e for e in entries if not is_url(e)]


class UrlPromptScreen(ModalScreen["list[str] | None"]):
    DEFAULT_CSS = """
    UrlPromptScreen { align: center middle; }
    #urls-box { width: 80%; height: auto; border: round $accent; background: $surface; padding: 0 1; }
    #urls-title { text-style: bold; margin-bottom: 1; }
    #urls-error { color: $error; }
    """
    BINDINGS = [Binding("escape", "dismiss_none", "Cancel", id="urls-cancel")]

    def __init__(self) -> None:
        super().__init__(id="add-urls")

    def compose(self) -> ComposeResult:
        with Vertical(id="urls-box"):
            yield Label("Ingest articles from URLs or feeds (enter starts, escape cancels)", id="urls-title")
            yield Input(placeholder="https://… https://…/feed.xml", id="urls-input")
            yield Label("", id="urls-error")

    def on_mount(self) -> None:
        self.query_one(Input).focus()

    @on(Input.Submitted)
    def _chosen(self, event: Input.Submitted) -> None:
        event.stop()
        urls, bad = parse_urls(event.value)
        if bad:
            self.query_one("#urls-error", Label).update(f"not an http or https URL: {bad[0][:60]}")
            return
        self.dismiss(urls or None)

    def action_dismiss_none(self) -> None:
        self.dismiss(None)


def ingest_urls_in_background(app: Any, urls: list[str] | None) -> None:
    """Start the worker for `urls` (nothing when the prompt was cancelled)."""
    if not urls:
        return
    app.notify(f"Fetching {len(urls)} URL(s) in the background…", timeout=4)
    app.run_worker(lambda: _ingest(app, urls), thread=True, group="add-urls", exit_on_error=False)


def _ingest(app: Any, urls: list[str]) -> None:
    from claimdesk.store.database import Database
    from claimdesk.tui.ingest import ingest_paths

    try:
        db = Database.open(app.db.path)
        summary = ingest_paths(urls, db)
    except Exception as error:  # a bad URL or a full disk never ends the review session
        app.call_from_thread(app.notify, f"URLs not ingested: {error}", severity="error", timeout=10)
        return
    refused = summary.refused
    lines = [f"From {len(urls)} URL(s): {summary.articles_new} new, {summary.articles_changed} changed, "
             f"{summary.articles_unchanged} unchanged article(s)"]
    lines += [f"{p.source}: {p.reason}" for p in refused[:_SHOWN_PROBLEMS]]
    if len(refused) > _SHOWN_PROBLEMS:
        lines.append(f"… and {len(refused) - _SHOWN_PROBLEMS} more refused")
    app.call_from_thread(app.notify, "\n".join(lines), severity="warning" if refused else "information",
                         timeout=12)
    if summary.articles_new or summary.articles_changed:
        _reload(app)


def _reload(app: Any) -> None:
    """Show the grown corpus: the app reads it again in its own worker and swaps it in keeping the
    reviewer's place, filter and unsaved changes (`ClaimdeskApp.reload_corpus`)."""
    app.call_from_thread(app.reload_corpus)
