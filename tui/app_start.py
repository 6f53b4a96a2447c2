"""How the review app starts: PATHs ingested first (spaCy imported only then), the database read
in a worker, the screen attached, then the links file read in a thread once the first screen is
drawn, the judgements polled, and recovery files of earlier sessions offered.

`StartUp` is a mixin of `ClaimdeskApp` (tui/app.py), which provides the attributes below and
Textual's App.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from textual import work

from . import recovery
from .recovery import RecoveryFile
from .review_state import ReviewSession


class StartUp:
    """Mixed into ClaimdeskApp (which provides the attributes below, and Textual's App)."""

    db: Any
    db_lock: Any
    reviewer: str
    paths: list[Path]
    processes: int
    poll_interval: float
    recovery_dir: Path
    recovery_name: str
    session: ReviewSession | None
    review: Any
    ready: threading.Event
    resume_gc: Any
    ingest_summary: Any
    _token: object
    _read_token: object
    _corpus_token: object

    @work(thread=True, exclusive=True, group="ingest")
    def _ingest(self) -> None:
        from .ingest import ingest_paths  # spaCy comes in here, and only here

        def progress(done: int, total: int, what: str) -> None:
            self.call_from_thread(self._ingest_progress, done, total, what)

        try:
            with self.db_lock:
                summary = ingest_paths(self.paths, self.db, processes=self.processes, progress=progress)
        except Exception as error:  # bad input never kills the session: say so, show the db
            self.call_from_thread(self._ingested, None, error)
            return
        self.call_from_thread(self._ingested, summary, None)

    def _ingest_progress(self, done: int, total: int, what: str) -> None:
        from .screens.ingest import IngestScreen  # imported by an ingest only, not on a plain start

        if isinstance(self.screen, IngestScreen):
            self.screen.progress(done, total, what)

    def _ingested(self, summary: Any, error: BaseException | None) -> None:
        from .screens.ingest import IngestScreen

        if isinstance(self.screen, IngestScreen):
            self.pop_screen()
        self.ingest_summary = summary
        if error is not None:
            self.notify(f"Ingest failed: {error}", severity="error", timeout=10)
        elif summary is not None:
            problems = len(getattr(summary, "problems", []))
            self.notify(
                f"Ingested {summary.articles_new} new, {summary.articles_changed} changed, "
                f"{summary.articles_unchanged} unchanged article(s); {summary.claims_total} claims"
                + (f"; {problems} input problem(s)" if problems else ""),
                timeout=6,
            )
        self._load()

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        try:  # reads need no lock: every file is replaced atomically
            corpus_token = self.db.corpus_token()
            token = self.db.judgements_token()
            corpus = self.db.corpus()
        except Exception as error:
            self.call_from_thread(self._load_failed, error)
            return
        try:
            judgements = self.db.judgements()
        except Exception as error:
            self.call_from_thread(self._load_failed, error)
            return
        session = ReviewSession(self.db, self.reviewer, corpus, judgements)
        found, problems = recovery.pending(self.recovery_dir, self.db.path, self.reviewer, self.recovery_name)
        self.call_from_thread(self._loaded, session, token, corpus_token, found, problems)

    def _start_links(self, corpus: Any) -> None:
        """Links have their own file: it is read in a thread once the first screen is drawn (the
        first claim's links appear a moment later: "Reading the links…"), so that its reading does
        not hold up the first screen, with which it would share the interpreter."""
        threading.Thread(target=self._load_links, args=(corpus,), name="claimdesk-links", daemon=True).start()

    def _load_links(self, corpus: Any) -> None:
        ok = True
        try:
            corpus.load_links()
        except Exception as error:
            ok = False
            with contextlib.suppress(Exception):  # the app may have gone
                self.call_from_thread(self.notify, f"Could not read the links: {error}", severity="warning",
                                      timeout=10)
        with contextlib.suppress(Exception):  # the app may have gone
            self.call_from_thread(self._links_loaded, corpus, ok)

    def _links_loaded(self, corpus: Any, ok: bool = True) -> None:
        session = self.session
        if session is None or session.corpus is not corpus:
            return
        session.links_unreadable = not ok  # no more "Reading the links…": the message said why
        if self.review is not None and self.review.ready:
            self.review.links_loaded()

    def _load_failed(self, error: BaseException) -> None:
        self.resume_gc()
        self.notify(f"Could not read the database: {error}", title="Not loaded", severity="error", timeout=30)
        if self.review is not None and self.review.ready:
            self.review.query_one("#article").border_title = "Could not read the database (see the message)"

    def _loaded(self, session: ReviewSession, token: object, corpus_token: object,
                found: Sequence[RecoveryFile] = (), problems: Sequence[str] = ()) -> None:
        self.session = session
        self._token = self._read_token = token
        self._corpus_token = corpus_token
        assert self.review is not None
        if self.review.ready:  # else its on_mount attaches
            self.review.attach(session)
        after_first_screen = self.review.after_frame if self.review.ready else self.call_after_refresh
        after_first_screen(self.resume_gc)
        if not session.links_ready:  # once the first screen is drawn, not while it is
            after_first_screen(partial(self._start_links, session.corpus))
        self.set_interval(self.poll_interval, self._poll, name="poll-judgements")
        for problem in problems:
            self.notify(problem, title="Recovery file not used", severity="warning", timeout=15)
        if found:
            from .screens.modals import RecoveryScreen  # the modals are imported when first needed

            self.push_screen(RecoveryScreen(found, lambda cid: cid in session.claim_pos),
                             partial(self._recovery_answer, list(found)))
        self.ready.set()
