"""What the review app does with the save queue's outcomes (`save_queue.Writer`, in its thread):
the status bar's save state, the warning when saves fail (and the recovery file then), the
report of a change that can never be saved, and which judgements files changed by our own write.

`SaveReports` is a mixin of `ClaimdeskApp` (tui/app.py), which provides the attributes below and
Textual's App; the writer thread's callbacks post messages (`tui.messages`) handled here.
"""

from __future__ import annotations

import time
from pathlib import Path
from typing import Any

from . import recovery
from .messages import WriteDone, WriteFailed, WriteSetAside
from .save_queue import Op, own_change


class SaveReports:
    """Mixed into ClaimdeskApp (which provides the attributes below, and Textual's App)."""

    writer: Any
    review: Any
    save_state: str
    show_times: bool
    last_error: str
    recovery_path: Path | None
    _failing: bool
    _journaled: int
    _texts: dict[str, str]
    _token: object
    _done_count: int
    _done_gen: dict[str, int]

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

    def on_write_done(self, message: WriteDone) -> None:
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

    def on_write_failed(self, message: WriteFailed) -> None:
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

    def on_write_set_aside(self, message: WriteSetAside) -> None:
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
