"""The claimdesk review app (Textual): its parts put together, and the edits (undo/redo).

    app = ClaimdeskApp(db, "ana")              # db: store.database.Database
    app.run()                                   # then app.finish() -> what could not be saved ([])

Every edit updates the screen at once and is queued to one writer thread (`save_queue.Writer`),
which writes it once the frame showing it is drawn: a failed write is retried until it lands, one
that never can (its claim went away in a re-ingest) is set aside and reported once, never
blocking the others. The app's other parts are mixins, one module each: how it starts
(`app_start.StartUp`: the database read in a worker, the links after the first screen), the
save queue's outcomes on screen (`app_saving.SaveReports`), keeping in step with the database
(`app_sync.DatabaseSync`: polls, re-reads, a changed corpus swapped in), the CSV export
(`app_export.Exporting`) and the ways out with the recovery file (`app_exits.Exits`).
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from textual.app import App
from textual.binding import Binding
from textual.screen import Screen

from claimdesk.store.gc_pause import freeze

from . import recovery
from .app_exits import Exits
from .app_export import Exporting
from .app_saving import SaveReports
from .app_start import StartUp
from .app_sync import DatabaseSync
from .palette import ReviewCommands
from .review_state import Mine, ReviewSession
from .save_queue import Edit, Writer, ops_for
from .screens.review import ReviewScreen


# The cyclic GC's youngest generation is collected every GC_GEN0 net allocations of tracked
# objects instead of Python's 700: every frame Textual draws leaves reference cycles (Strips
# reach themselves through their caches), so at 700 a key press often paid for one or two
# collections, now for one at most. Set while the app runs, restored when it leaves.
GC_GEN0 = 3000


class ClaimdeskApp(StartUp, SaveReports, DatabaseSync, Exporting, Exits, App[int]):
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
        gc_paused: bool = False,
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
        # the caller paused the cyclic GC for the start (`claimdesk review`: see
        # commands/review.py); resumed once the first screen with the database is drawn
        self._gc_paused = gc_paused

    # ------------------------------------------------------------------ start-up

    def on_unmount(self) -> None:
        self.resume_gc()
        if self._gc_threshold is not None:
            gc.set_threshold(*self._gc_threshold)
        self._remove_signals()

    def resume_gc(self) -> None:
        """End the start's GC pause (once): everything built so far (Textual's classes, the
        corpus, the first frame) is long-lived, so it is frozen (never scanned again, as the
        session's load does: store/gc_pause.py) rather than scanned in one full pass."""
        if self._gc_paused:
            self._gc_paused = False
            freeze()
            gc.enable()

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
            self.resume_gc()  # an ingest builds and drops far too much to run without it
            from .screens.ingest import IngestScreen  # only here: not on a plain start's path

            self.push_screen(IngestScreen(id="ingest"))
            self._ingest()
        else:
            self._load()

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
            # queued at once (pending, in the recovery file on any way out), written once the
            # frame showing the change is drawn: the write does not hold up the screen
            self.writer.submit(ops, hold=True)
        if self.review is not None and self.review.is_attached:
            self.review.judgements_changed(claim_id)  # queues the screen's update ...
            if ops:
                self.review.after_frame(self.writer.release)
        elif ops:
            self.writer.release()
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
