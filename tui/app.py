"""The claimdesk review app (Textual): the screens, the save queue, polling, clean exits.

    app = ClaimdeskApp(db, "ana")              # db: store.database.Database
    app.run()                                   # then app.finish() -> unsaved ops (normally [])

No work is lost: every edit updates the screen at once and is queued to one writer thread
(`session.Writer`) that saves it through the store, retrying a failed write until it lands.
Quitting (q, ctrl+c, ctrl+q) waits for the queue; SIGHUP/SIGTERM (a dropped SSH session) flush
and exit too; and `finish()` flushes once more after the app has gone. Other reviewers' tags
appear without a restart: `db.judgements_token()` is polled every second and, when it changes,
the shards written since the last read are re-read and digested (in a thread; all of them every
FULL_RELOAD_POLLS polls).

Start-up reads only the database; spaCy is imported only when PATHs are given to ingest.
"""

from __future__ import annotations

import asyncio
import contextlib
import gc
import os
import signal
import threading
import time
from collections.abc import Iterable, Sequence
from functools import partial
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.markup import escape
from textual.message import Message
from textual.screen import Screen

from .screens.ingest import IngestScreen
from .screens.modals import binding_keys
from .screens.review import REVIEW_BINDINGS, ReviewScreen
from .screens.session import Edit, Mine, Op, ReviewSession, Snapshot, Writer, ops_for, own_change


# The cyclic GC's youngest generation is collected every GC_GEN0 net allocations of tracked
# objects instead of Python's 700: every frame Textual draws leaves reference cycles (Strips
# reach themselves through their caches), so at 700 a key press often paid for one or two
# collections, now for one at most. Set while the app runs, restored when it leaves.
GC_GEN0 = 3000
FULL_RELOAD_POLLS = 30  # re-read every 30 polls even without a change seen (belt and braces)


class ReviewCommands(Provider):
    """Every review key as a named command in the palette (ctrl+p)."""

    def review_commands(self) -> Iterable[tuple[str, str, Any]]:
        app = self.app
        review = getattr(app, "review", None)
        if review is None or getattr(app, "session", None) is None:
            return
        for binding in REVIEW_BINDINGS:
            if not binding.id:
                continue
            keys = "/".join(binding_keys(app, binding))
            help_text = escape(f"key {keys}; id {binding.id}")
            yield binding.tooltip or binding.description, help_text, partial(app.run_action, binding.action, review)

    async def discover(self) -> Hits:
        for name, help_text, callback in self.review_commands():
            yield DiscoveryHit(name, callback, help=help_text)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for name, help_text, callback in self.review_commands():
            score = matcher.match(name)
            if score > 0:
                yield Hit(score, matcher.highlight(name), callback, help=help_text)


class WriteDone(Message):
    def __init__(self, op: Op, before: object = None, after: object = None) -> None:
        super().__init__()
        self.op = op
        self.before = before
        self.after = after


class WriteFailed(Message):
    def __init__(self, op: Op, error: BaseException) -> None:
        super().__init__()
        self.op = op
        self.error = error


class JudgementsLoaded(Message):
    def __init__(self, snapshot: Snapshot, generation: int) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.generation = generation


class ClaimdeskApp(App[int]):
    CSS_PATH = "claimdesk.tcss"
    TITLE = "claimdesk"
    COMMANDS = App.COMMANDS | {ReviewCommands}
    BINDINGS = [
        Binding("ctrl+c", "quit", "Quit", show=False, priority=True, id="quit-ctrl-c"),
        Binding("I", "add_urls", "Add URLs", show=False, id="add-urls"),
    ]

    def action_add_urls(self) -> None:
        """A prompt for URLs or feeds, ingested in a worker while the reviewer goes on."""
        from .screens.add_urls import UrlPromptScreen, ingest_urls_in_background

        self.push_screen(UrlPromptScreen(), lambda urls: ingest_urls_in_background(self, urls))

    def __init__(
        self,
        db: Any,
        reviewer: str,
        *,
        paths: Sequence[Path] = (),
        advance: bool = True,
        show_times: bool = True,
        poll_interval: float = 1.0,
        processes: int = 1,
        db_label: str | None = None,
        keymap: dict[str, str] | None = None,
        retry_delay: float = 2.0,
        flush_timeout: float = 15.0,
        export_dir: Path | None = None,
    ) -> None:
        super().__init__()
        self.db = db
        self.reviewer = reviewer
        self.paths = list(paths)
        self.advance = advance
        self.show_times = show_times
        self.poll_interval = poll_interval
        self.processes = processes
        self.db_label = db_label if db_label is not None else str(db.path)
        self.keymap = keymap or {}
        self.flush_timeout = flush_timeout
        self.export_dir = export_dir
        self.db_lock = threading.RLock()
        self.session: ReviewSession | None = None
        self.review: ReviewScreen | None = None
        self.writer = Writer(db, reviewer, self.db_lock, on_done=self._done_in_thread,
                             on_error=self._failed_in_thread, retry_delay=retry_delay)
        self.undo_stack: list[Edit] = []
        self.redo_stack: list[Edit] = []
        self.save_state = "ready"
        self.ingest_summary: Any = None
        self.last_error: str = ""
        self._failing = False
        self._token: object = None  # the judgements files as last seen (a poll re-reads when they change)
        self._read_token: object = None  # ... as of the last read the session has digested
        self._done_count = 0
        self._done_gen: dict[str, int] = {}
        self._reload_seq = 0
        self._quit_armed = False
        self._exiting = False
        self._signals: list[int] = []
        self._old_sighup: Any = None
        self.ready = threading.Event()
        self._post_lock = threading.Lock()
        self._polls = 0
        self._gc_threshold: tuple[int, ...] | None = None  # Python's, while the app runs

    # ------------------------------------------------------------------ start-up

    def get_default_screen(self) -> Screen:
        self.review = ReviewScreen()
        return self.review

    def on_mount(self) -> None:
        self._gc_threshold = gc.get_threshold()
        gc.set_threshold(max(GC_GEN0, self._gc_threshold[0]), *self._gc_threshold[1:])
        if self.keymap:
            self.set_keymap(self.keymap)
        self.writer.start()
        self._install_signals()
        if self.paths:
            self.push_screen(IngestScreen(id="ingest"))
            self._ingest()
        else:
            self._load()

    def _install_signals(self) -> None:
        if threading.current_thread() is not threading.main_thread():
            return
        loop = asyncio.get_running_loop()
        # On a real terminal SIGHUP gets a plain handler, not the loop's: it must run even when
        # the loop is stuck writing to a terminal that is gone. Headless, there is none to lose.
        loop_signals = [signal.SIGTERM] + ([signal.SIGHUP] if self.is_headless else [])
        for sig in loop_signals:
            with contextlib.suppress(NotImplementedError, RuntimeError, ValueError):
                loop.add_signal_handler(sig, self._on_signal, sig)
                self._signals.append(sig)
        if not self.is_headless:
            with contextlib.suppress(ValueError, OSError):
                self._old_sighup = signal.signal(signal.SIGHUP, self._on_hangup)

    def on_unmount(self) -> None:
        if self._gc_threshold is not None:
            gc.set_threshold(*self._gc_threshold)
        with contextlib.suppress(Exception):
            loop = asyncio.get_running_loop()
            for sig in self._signals:
                loop.remove_signal_handler(sig)
        self._signals.clear()
        old, self._old_sighup = self._old_sighup, None
        if old is not None:
            with contextlib.suppress(ValueError, OSError):
                signal.signal(signal.SIGHUP, old)

    @property
    def leaving(self) -> bool:
        """True from a quit until the app is gone (or a failed save calls the quit off)."""
        return self._exiting

    def _on_signal(self, sig: int) -> None:
        """SIGTERM (or SIGHUP when headless): save everything, then leave the usual way."""
        self.run_worker(self.flush_and_exit(128 + sig, force=True), group="exit")

    def _on_hangup(self, sig: int, frame: Any = None) -> None:
        """SIGHUP: the SSH session dropped or the window closed. Nothing can be drawn any more,
        and Textual's output thread may have died writing to the dead terminal, so its orderly
        shutdown could wait forever. Save every queued change, then leave at once."""
        with contextlib.suppress(OSError):
            devnull = os.open(os.devnull, os.O_RDWR)
            for fd in (0, 1, 2):
                os.dup2(devnull, fd)
        threading.Thread(target=self._save_and_leave, args=(128 + sig,), name="hangup", daemon=True).start()

    def _save_and_leave(self, code: int) -> None:
        # A held lock (another reviewer's long write) only delays: keep trying for up to 10 minutes.
        for _ in range(20):
            if self.writer.flush(30):
                break
        self.writer.close(5)
        os._exit(code)

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
        if isinstance(self.screen, IngestScreen):
            self.screen.progress(done, total, what)

    def _ingested(self, summary: Any, error: BaseException | None) -> None:
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
            token = self.db.judgements_token()
            corpus = self.db.corpus()
        except Exception as error:
            self.call_from_thread(self._load_failed, error)
            return
        # links have their own file, read on first use: read it now, off the screen thread, while
        # this thread reads the judgements (the first screen shows the first claim's links)
        links = threading.Thread(target=self._load_links, args=(corpus,), name="claimdesk-links", daemon=True)
        links.start()
        try:
            judgements = self.db.judgements()
        except Exception as error:
            self.call_from_thread(self._load_failed, error)
            return
        session = ReviewSession(self.db, self.reviewer, corpus, judgements)
        self.call_from_thread(self._loaded, session, token)

    def _load_links(self, corpus: Any) -> None:
        try:
            corpus.load_links()
        except Exception as error:
            with contextlib.suppress(Exception):  # the app may have gone
                self.call_from_thread(self.notify, f"Could not read the links: {error}", severity="warning",
                                      timeout=10)

    def _load_failed(self, error: BaseException) -> None:
        self.notify(f"Could not read the database: {error}", title="Not loaded", severity="error", timeout=30)
        if self.review is not None and self.review.ready:
            self.review.query_one("#article").border_title = "Could not read the database (see the message)"

    def _loaded(self, session: ReviewSession, token: object) -> None:
        self.session = session
        self._token = self._read_token = token
        assert self.review is not None
        if self.review.ready:  # else its on_mount attaches
            self.review.attach(session)
        self.set_interval(self.poll_interval, self._poll, name="poll-judgements")
        self.ready.set()

    # ------------------------------------------------------------------ edits

    def apply_edit(self, claim_id: str, *, status: str | None = None, note: str | None = None) -> bool:
        """Change this reviewer's judgement of a claim: screen now, store soon, undoable."""
        session = self.session
        if session is None:
            return False
        before = session.mine.get(claim_id) or Mine()
        after = Mine(before.status if status is None else status, before.note if note is None else note)
        if after == before:
            return False
        self._commit(claim_id, before, after)
        self.undo_stack.append(Edit(claim_id, before, after))
        self.redo_stack.clear()
        return True

    def _commit(self, claim_id: str, before: Mine, after: Mine) -> None:
        session = self.session
        assert session is not None
        session.set_local(claim_id, after.status, after.note)
        ops = ops_for(claim_id, before, after)
        if ops:
            self.writer.submit(ops)
        if self.review is not None and self.review.is_attached:
            self.review.judgements_changed(claim_id)  # queues the screen's update ...
        self._set_save_state()  # ... which then draws the status bar too

    def undo(self) -> str | None:
        """Undo the last edit, as a new change (the store's history records it)."""
        if not self.undo_stack or self.session is None:
            return None
        edit = self.undo_stack.pop()
        current = self.session.mine.get(edit.claim_id) or Mine()
        self._commit(edit.claim_id, current, edit.before)
        self.redo_stack.append(edit)
        return edit.claim_id

    def redo(self) -> str | None:
        if not self.redo_stack or self.session is None:
            return None
        edit = self.redo_stack.pop()
        current = self.session.mine.get(edit.claim_id) or Mine()
        self._commit(edit.claim_id, current, edit.after)
        self.undo_stack.append(edit)
        return edit.claim_id

    # ------------------------------------------------------------------ the save queue

    def _done_in_thread(self, op: Op, result: Any) -> None:
        _judgement, before, after = result
        self.post_message(WriteDone(op, before, after))

    def _failed_in_thread(self, op: Op, error: BaseException) -> None:
        self.post_message(WriteFailed(op, error))

    def _set_save_state(self) -> None:
        pending = self.writer.pending
        if self._failing and pending:
            self.save_state = f"⚠ unsaved {pending} (retrying)"
        elif pending:
            self.save_state = f"saving {pending}…"
        else:
            self.save_state = "saved " + time.strftime("%H:%M:%S") if self.show_times else "saved"
        if self.review is not None and self.review.is_mounted:
            self.review.refresh_status()

    @on(WriteDone)
    def _write_done(self, message: WriteDone) -> None:
        self._done_count += 1
        self._done_gen[message.op.claim_id] = self._done_count
        if self._token is not None and self._token == message.before and own_change(message.before, message.after):
            self._token = message.after  # only our own write changed the files: nothing to re-read
        if self._failing:
            self._failing = False
            self.notify("Saved again: the queued changes are in the database.")
        self._set_save_state()

    @on(WriteFailed)
    def _write_failed(self, message: WriteFailed) -> None:
        self.last_error = str(message.error) or type(message.error).__name__
        if not self._failing:
            self.notify(
                f"Could not save ({self.last_error}). The change is kept and will be retried.",
                title="Not saved yet", severity="error", timeout=8,
            )
        self._failing = True
        self._set_save_state()

    # ------------------------------------------------------------------ polling

    def _poll(self) -> None:
        if self.session is None:
            return
        try:
            token = self.db.judgements_token()
        except Exception:
            return
        self._polls += 1
        full = self._polls % FULL_RELOAD_POLLS == 0
        if token != self._token or full:
            self._token = token
            self._reload_seq += 1  # how many reloads were started (tests read it)
            self._reload(self._done_count, full)

    @work(thread=True, group="reload")
    def _reload(self, generation: int, full: bool = False) -> None:
        """Re-read the judgements: the shards written since the last read (a few), or all of
        them (every FULL_RELOAD_POLLS polls, and after a failed read)."""
        session = self.session
        if session is None:
            return
        with self._post_lock:  # reads and digests chain (each is a diff on the one before): in order
            try:
                if full or self._read_token is None:
                    token = self.db.judgements_token()
                    snapshot = session.digest(self.db.judgements())
                else:
                    token, upserts = self.db.judgements_since(self._read_token)
                    snapshot = session.digest_upserts(upserts)
            except Exception:  # e.g. a shard being repaired: read everything at the next poll
                self._token = self._read_token = None
                return
            self._read_token = token
            self.post_message(JudgementsLoaded(snapshot, generation))

    @on(JudgementsLoaded)
    def _judgements_loaded(self, message: JudgementsLoaded) -> None:
        if self.session is None:
            return
        recent = {cid for cid, gen in self._done_gen.items() if gen > message.generation}
        self._done_gen = {cid: gen for cid, gen in self._done_gen.items() if gen > message.generation}
        self.session.adopt(message.snapshot, self.writer.pending_claims() | recent)
        if self.review is not None and self.review.is_attached and not self._exiting:
            with contextlib.suppress(NoMatches):  # the app may be closing
                self.review.judgements_changed(None)


    # ------------------------------------------------------------------ export

    def default_export_path(self) -> Path:
        folder = self.export_dir or Path.cwd()
        return folder / f"claimdesk-{self.reviewer}.csv"

    def export_to(self, path: Path | None) -> None:
        if path is not None:
            self._export(path)

    @work(thread=True, group="export")
    def _export(self, path: Path) -> None:
        from claimdesk.store.export import write_export, write_file_atomic

        self.writer.flush(self.flush_timeout)  # what is on screen is what gets exported
        try:  # 0600, atomic, never inside a database folder (store.export.write_file_atomic)
            with self.db_lock:
                write_file_atomic(path, lambda out: write_export(self.db, out, fmt="csv"), databases=[self.db.path])
        except Exception as error:
            reason = error.strerror if isinstance(error, OSError) and error.strerror else error
            self.call_from_thread(self.notify, f"Export failed: {path}: {reason}", severity="error")
            return
        self.call_from_thread(self.notify, f"Exported to {path}")

    # ------------------------------------------------------------------ leaving

    async def action_quit(self) -> None:
        await self.flush_and_exit(0)

    async def flush_and_exit(self, code: int = 0, *, force: bool = False) -> None:
        if self._exiting and not force and not self._quit_armed:
            return
        if self._quit_armed and not force:
            self.exit(return_code=code)  # second q after a failed flush: leave; finish() reports what is unsaved
            return
        self._exiting = True
        pending = self.writer.pending
        if pending:
            self.save_state = f"saving {pending} before exit…"
            if self.review is not None and self.review.is_mounted:
                self.review.refresh_status()
        ok = await asyncio.to_thread(self.writer.flush, self.flush_timeout)
        if not ok and not force:
            self._exiting = False
            self._quit_armed = True
            self.notify(
                f"{self.writer.pending} change(s) could not be saved ({self.last_error}). Still retrying: "
                "wait, or press q again to quit (they will be listed on the terminal).",
                title="Not saved", severity="error", timeout=15,
            )
            return
        self.exit(return_code=code)

    def finish(self, timeout: float | None = None) -> list[Op]:
        """After `run()`: flush once more and stop the writer. Returns what could not be saved."""
        self.writer.close(self.flush_timeout if timeout is None else timeout)
        return self.writer.pending_ops()
