"""Shown while `claimdesk review PATH...` ingests: a progress bar and what is being read."""

from __future__ import annotations

from textual.app import ComposeResult
from textual.containers import Vertical
from textual.screen import Screen
from textual.widgets import Label, ProgressBar


class IngestScreen(Screen[None]):
    def compose(self) -> ComposeResult:
        with Vertical(id="ingest-box"):
            yield Label("Reading articles…", id="ingest-title")
            yield ProgressBar(id="ingest-bar", show_eta=False)
            yield Label("", id="ingest-what")

    def progress(self, done: int, total: int, what: str) -> None:
        bar = self.query_one(ProgressBar)
        bar.update(total=max(total, 1), progress=done)
        self.query_one("#ingest-title", Label).update(f"Extracting claims: {done}/{total} articles")
        self.query_one("#ingest-what", Label).update(what)
