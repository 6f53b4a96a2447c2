"""The claimdesk review app (Textual): the screens, the save queue, polling, undo/redo.

    app = ClaimdeskApp(db, "ana")              # db: store.database.Database
    app.run()                                   # then app.finish() -> what could not be saved ([])

Every edit updates the screen at once and is queued to one writer thread (`save_queue.Writer`):
a failed write is retried until it lands, one that never can (its claim went away in a
re-ingest) is set aside and reported once, never blocking the others. The ways out, and the
recovery file of what is still unsaved then, are `app_exits.Exits`'. Every poll (1 s) stats the
judgements and the corpus: changed shards are re-read and digested in a thread (all of them every
FULL_RELOAD_POLLS polls); a changed corpus (a re-ingest) is read and indexed in a worker and
swapped in keeping the reviewer's place, filter and unsaved changes. Start-up reads only the
database; spaCy is imported only when PATHs are given to ingest.
"""

from __future__ import annotations

import contextlib
import gc
import threading
import time
from collections.abc import Sequence
from functools import partial
from pathlib import Path
from typing import Any

from textual import on, work
from textual.app import App
from textual.binding import Binding
from textual.css.query import NoMatches
from textual.screen import Screen

from . import csv_export, recovery
from .app_exits import Exits
from .messages import CorpusLoaded, JudgementsLoaded, WriteDone, WriteFailed, WriteSetAside
from .palette import ReviewCommands
from .recovery import RecoveryFile
from .review_state import Filter, Mine, ReviewSession
from .save_queue import Edit, Op, Writer, ops_for, own_change
from .screens.host import ExportRequest
from .screens.ingest import IngestScreen
from .screens.modals import RecoveryScreen
from .screens.review import ReviewScreen


# The cyclic GC's youngest generation is collected every GC_GEN0 net allocations of tracked
# objects instead of Python's 700: every frame Textual draws leaves reference cycles (Strips
# reach themselves through their caches), so at 700 a key press often paid for one or two
# collections, now for one at most. Set while the app runs, restored when it leaves.
GC_GEN0 = 3000
FULL_RELOAD_POLLS = 30  # re-read every 30 polls even without a change seen (belt and braces)


class ClaimdeskApp(Exits, App[int]):
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
        recovery_dir: Path | None = None,
        hangup_timeout: float = 60.0,
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
        self.recovery_dir = recovery_dir if recovery_dir is not None else recovery.default_folder()
        self.recovery_name = recovery.new_file_name(db.path, reviewer)  # this session's recovery file
        self.recovery_path: Path | None = None  # ... once written
        self.recovery_problem = ""  # why it could not be written, if it could not
        self.hangup_timeout = hangup_timeout
        self.db_lock = threading.RLock()
        self.session: ReviewSession | None = None
        self.review: ReviewScreen | None = None
        self.writer = Writer(db, reviewer, self.db_lock, on_done=self._done_in_thread,
                             on_error=self._failed_in_thread, on_set_aside=self._set_aside_in_thread,
                             retry_delay=retry_delay)
        self.undo_stack: list[Edit] = []
        self.redo_stack: list[Edit] = []
        self.save_state = "ready"
        self.ingest_summary: Any = None
        self.last_error: str = ""
        self._failing = False
        self._texts: dict[str, str] = {}  # claim id -> text, of the claims edited (for what is unsaved)
        self._corpus_token: object = None  # corpus.json as last read (a poll reloads when it changes)
        self._corpus_loading = False
        self._corpus_unreadable: object = None  # a corpus.json version that could not be read
        self._journaled = 0  # queued changes in the recovery file while saves fail
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

    def on_unmount(self) -> None:
        if self._gc_threshold is not None:
            gc.set_threshold(*self._gc_threshold)
        self._remove_signals()

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
        if not session.links_ready:
            self.call_after_refresh(self._start_links, session.corpus)
        self.set_interval(self.poll_interval, self._poll, name="poll-judgements")
        for problem in problems:
            self.notify(problem, title="Recovery file not used", severity="warning", timeout=15)
        if found:
            self.push_screen(RecoveryScreen(found, lambda cid: cid in session.claim_pos),
                             partial(self._recovery_answer, list(found)))
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
        if claim_id not in self._texts and (claim := session.claim(claim_id)) is not None:
            self._texts[claim_id] = claim.text
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

    def _set_aside_in_thread(self, op: Op, error: BaseException) -> None:
        self.post_message(WriteSetAside(op, error))

    def _set_save_state(self) -> None:
        pending = self.writer.pending
        if self._failing and pending:
            self.save_state = f"⚠ unsaved {pending} (retrying)"
        elif pending:
            self.save_state = f"saving {pending}…"
        else:
            self.save_state = "saved " + time.strftime("%H:%M:%S") if self.show_times else "saved"
            if aside := len(self.writer.set_aside()):  # not a problem of the queue: said once, kept in view
                self.save_state += f" · ⚠ {aside} set aside"
        if self.review is not None and self.review.is_mounted:
            self.review.refresh_status()

    @on(WriteDone)
    def _write_done(self, message: WriteDone) -> None:
        self._done_count += 1
        self._done_gen[message.op.claim_id] = self._done_count
        if self._token is not None and self._token == message.before and own_change(message.before, message.after):
            self._token = message.after  # only our own write changed the files: nothing to re-read
        if self._failing and not self.writer.pending:
            self._failing = False
            self.notify("Saved again: the queued changes are in the database.")
            if self.recovery_path is not None and not self.writer.set_aside():
                self._save_recovery_soon()  # nothing unsaved any more: the file goes
        self._set_save_state()

    @on(WriteFailed)
    def _write_failed(self, message: WriteFailed) -> None:
        self.last_error = str(message.error) or type(message.error).__name__
        if not self._failing:
            self.notify(
                f"Could not save ({self.last_error}). The change is kept and will be retried.",
                title="Not saved yet", severity="error", timeout=8,
            )
            self._save_recovery_soon()  # a stuck queue is on disk too, should the process be killed
        elif self.writer.pending != self._journaled:
            self._save_recovery_soon()  # ... with what was queued since
        self._journaled = self.writer.pending
        self._failing = True
        self._set_save_state()

    @on(WriteSetAside)
    def _write_set_aside(self, message: WriteSetAside) -> None:
        """Reported once; the writes behind it go on. The change stays listed as unsaved (the
        recovery file, the exit report), it is never retried."""
        op = message.op
        what = {"tag": f"tag {op.status}", "untag": "clear"}.get(op.kind, "note")
        text = self._texts.get(op.claim_id, "")
        self.notify(
            f"Not saved, and cannot be: your {what} on claim {op.claim_id}"
            + (f" (“{recovery.shorten(text, 50)}”)" if text else "")
            + f": {message.error}. Another reviewer re-ingested its article; the claim is gone"
            " (look for it in the reloaded article). Set aside; later changes are saved as usual.",
            title="Change set aside", severity="error", timeout=20, markup=False,
        )
        self._save_recovery_soon()
        self._set_save_state()

    # ------------------------------------------------------------------ polling

    def _poll(self) -> None:
        if self.session is None:
            return
        try:
            token = self.db.judgements_token()
            corpus_token = self.db.corpus_token()
        except Exception:
            return
        if corpus_token not in (self._corpus_token, self._corpus_unreadable, None):
            self.reload_corpus()
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
            if self.session is not session:
                return  # a changed corpus replaced it: its first read is already digested
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
            self.post_message(JudgementsLoaded(snapshot, generation, session))

    @on(JudgementsLoaded)
    def _judgements_loaded(self, message: JudgementsLoaded) -> None:
        if self.session is None or message.session is not self.session:
            return
        recent = {cid for cid, gen in self._done_gen.items() if gen > message.generation}
        self._done_gen = {cid: gen for cid, gen in self._done_gen.items() if gen > message.generation}
        self.session.adopt(message.snapshot, self.writer.pending_claims() | recent)
        if self.review is not None and self.review.is_attached and not self._exiting:
            with contextlib.suppress(NoMatches):  # the app may be closing
                self.review.judgements_changed(None)

    # ------------------------------------------------------------------ a changed corpus

    def reload_corpus(self) -> None:
        """Read the corpus again and swap it in, keeping the reviewer's place (the poll calls
        this when corpus.json changes; an ingest started from the screen may call it too)."""
        if self.session is not None and not self._corpus_loading:
            self._corpus_loading = True
            self._reload_corpus()

    @work(thread=True, exclusive=True, group="corpus")
    def _reload_corpus(self) -> None:
        """Read and index the corpus again (someone re-ingested), off the screen thread."""
        corpus_token = None
        try:
            done_mark = self._done_count
            corpus_token = self.db.corpus_token()
            judgements_token = self.db.judgements_token()
            corpus = self.db.corpus()
            corpus.load_links()
            session = ReviewSession(self.db, self.reviewer, corpus, self.db.judgements())
            if self.session is not None and self.session.filter.kind != "all":
                session.set_filter(self.session.filter)  # O(claims): here, not on the screen thread
        except Exception as error:  # e.g. caught mid-repair: the next poll tries again
            self.call_from_thread(self._corpus_failed, error, corpus_token)
            return
        self.post_message(CorpusLoaded(session, corpus_token, judgements_token, done_mark))

    def _corpus_failed(self, error: BaseException, corpus_token: object) -> None:
        """Said once per version of the file; the screen goes on with the corpus it has, and the
        next change of the file (a repair, another ingest) is read again."""
        self._corpus_loading = False
        if corpus_token != self._corpus_unreadable:
            self._corpus_unreadable = corpus_token
            self.notify(f"Could not read the changed corpus ({error}); still showing the one read before.",
                        title="Corpus not reloaded", severity="warning", timeout=15, markup=False)

    @on(CorpusLoaded)
    def _corpus_loaded(self, message: CorpusLoaded) -> None:
        """Swap the re-read corpus in: the reviewer keeps their place, filter and unsaved changes."""
        self._corpus_loading = False
        old, new = self.session, message.session
        if old is None or self._exiting:
            return
        review = self.review if self.review is not None and self.review.ready else None
        place = review.place() if review is not None else None  # in the old corpus
        with self._post_lock:  # no judgements read is digested half on the old session
            # this reviewer's changes the re-read may predate: what is queued, and what landed since
            keep = self.writer.pending_claims() | {
                cid for cid, gen in self._done_gen.items() if gen > message.done_mark
            }
            kept = [cid for cid in keep if cid in old.mine and cid in new.claim_pos]
            for cid in kept:
                new.set_local(cid, old.mine[cid].status, old.mine[cid].note)
            if new.filter != old.filter:  # changed meanwhile: O(claims) once
                new.set_filter(old.filter)
            else:
                new.recount({new.claim_pos[cid][0] for cid in kept})
            if not sum(new.filter_counts):
                new.set_filter(Filter())
            self.session = new
            self._corpus_token = message.corpus_token
            self._token = self._read_token = message.judgements_token
        self.undo_stack = [e for e in self.undo_stack if e.claim_id in new.claim_pos]
        self.redo_stack = [e for e in self.redo_stack if e.claim_id in new.claim_pos]
        gone = bool(place and place[0] and place[0] not in new.claim_pos)
        if review is not None:
            review.attach(new, place)
        self.notify(
            f"The corpus changed (re-ingested): now {len(new.articles)} articles, {new.total} claims."
            + (" The claim you were on changed; you are at its place in the article." if gone else ""),
            timeout=8,
        )


    # ------------------------------------------------------------------ export

    def default_export_path(self, shown_only: bool = False) -> Path:
        """Where `E` proposes to write (`csv_export.proposed_path`)."""
        flt = self.session.filter if shown_only and self.session is not None else None
        return csv_export.proposed_path(self._export_folder(), self.db.path, self.reviewer, flt)

    def _export_folder(self) -> Path:
        folder = self.export_dir if self.export_dir is not None else csv_export.default_folder()
        return self.db.path.parent if csv_export.inside(folder, self.db.path) else folder

    def export_to(self, request: ExportRequest | Path | None) -> None:
        """Export as the dialog answered (a bare path: every claim)."""
        if isinstance(request, Path):
            request = ExportRequest(request, shown_only=False)
        if request is not None and self.session is not None:
            self._export(request.path, self.session.filter if request.shown_only else Filter())

    @work(thread=True, group="export")
    def _export(self, path: Path, flt: Filter) -> None:
        self.writer.flush(self.flush_timeout)  # what is on screen is what gets exported
        with self.db_lock:
            message, ok = csv_export.export(self.db, path, flt, self.reviewer,
                                            create_folder=path.parent == self._export_folder())
        self.call_from_thread(self.notify, message, severity="information" if ok else "error", markup=False)
