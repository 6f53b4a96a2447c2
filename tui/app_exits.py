"""The ways out of the review app, and what they keep: quitting, signals, the recovery file.

`Exits` is a mixin of `ClaimdeskApp` (tui/app.py): q and ctrl+c wait for the save queue (a
second q leaves anyway); SIGTERM, and SIGHUP in a headless run, save and leave the usual way; on
a real terminal SIGHUP (a dropped SSH connection) writes the recovery file at once, tries to save
for `hangup_timeout` seconds, writes it again and leaves. `finish()`, after the app has gone,
writes whatever is still unsaved to the recovery file and `exit_report` lists it for the
terminal with complete, shell-quoted redo commands. The next start offers the recovery files of
sessions that ended (`_recovery_answer`).
"""

from __future__ import annotations

import asyncio
import contextlib
import os
import signal
import threading
from pathlib import Path
from typing import Any

from . import recovery
from .recovery import RecoveryFile, Unsaved


_recovery_lock = threading.Lock()  # one recovery-file write at a time (the writes are rare)


class Exits:
    """Mixed into ClaimdeskApp (which provides the attributes below, and Textual's App)."""

    writer: Any
    session: Any
    review: Any
    db: Any
    reviewer: str
    save_state: str
    last_error: str
    flush_timeout: float
    hangup_timeout: float
    recovery_dir: Path
    recovery_name: str
    recovery_path: Path | None
    recovery_problem: str
    is_headless: bool
    _texts: dict[str, str]
    _signals: list[int]
    _old_sighup: Any
    _exiting: bool
    _quit_armed: bool

    # ------------------------------------------------------------------ signals

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

    def _remove_signals(self) -> None:
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
        # First the recovery file (a kill that follows the hang-up cannot lose the changes then),
        # then up to hangup_timeout seconds of saving (a held lock only delays), then the file
        # again with whatever is left (none: it goes), then out.
        self.save_recovery()
        self.writer.close(self.hangup_timeout)
        self.save_recovery()
        os._exit(code)

    # ------------------------------------------------------------------ the recovery file

    def _recovery_answer(self, files: list[RecoveryFile], answer: bool | None) -> None:
        """Replay (True) or discard (False) the changes of sessions that ended unsaved; None: ask
        again at the next start."""
        if answer is None:
            return
        replayed = missing = 0
        if answer:
            session = self.session
            for c in (c for f in files for c in f.replayable):
                if session is None or c.claim_id not in session.claim_pos:
                    missing += 1
                elif self.apply_edit(c.claim_id, status=c.status, note=c.note):
                    replayed += 1
        for f in files:
            recovery.remove(f.path)
        if answer:
            self.notify(f"Replayed {replayed} change(s)" + (f"; {missing} could not be (claim gone)" if missing else "")
                        + ".", timeout=8)
        else:
            self.notify("Discarded the unsaved changes of the earlier session.", timeout=6)

    def unsaved(self) -> list[Unsaved]:
        """What the database does not have and the reviewer wanted: set aside, then still queued."""
        text_of = self._texts.get
        aside = [recovery.collapse([a.op], reason=a.reason, text_of=text_of)[0] for a in self.writer.set_aside()]
        return aside + recovery.collapse(self.writer.pending_ops(), text_of=text_of)

    def save_recovery(self) -> Path | None:
        """Write this session's recovery file with what is unsaved now (or remove it: nothing is).
        Safe from any thread (one write at a time); never raises (a problem is kept in
        `recovery_problem`)."""
        with _recovery_lock:
            try:
                self.recovery_path = recovery.write(self.recovery_dir, self.recovery_name, self.db.path,
                                                    self.reviewer, self.unsaved())
                self.recovery_problem = ""
            except (recovery.RecoveryError, OSError) as exc:
                self.recovery_problem = str(exc)
            return self.recovery_path

    def _save_recovery_soon(self) -> None:
        threading.Thread(target=self.save_recovery, name="claimdesk-recovery", daemon=True).start()

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
                "wait, or press q again to quit (they are kept in a recovery file that the next start offers "
                "to replay, and listed on the terminal).",
                title="Not saved", severity="error", timeout=15,
            )
            return
        self.exit(return_code=code)

    def finish(self, timeout: float | None = None) -> list[Unsaved]:
        """After `run()`: flush once more and stop the writer; what is still unsaved (queued, or
        set aside) goes to the recovery file. Returns it ([] when everything is saved)."""
        self.writer.close(self.flush_timeout if timeout is None else timeout)
        self.save_recovery()
        return self.unsaved()

    def exit_report(self, db_path: Path | str) -> list[str]:
        """Lines for the terminal after `finish()`: what is unsaved and why, where it is kept,
        and the commands that would save it (complete and shell-quoted)."""
        unsaved = self.unsaved()
        if not unsaved:
            return []
        queued = sum(1 for u in unsaved if not u.reason)
        lines = [f"claimdesk: {db_path}: {len(unsaved)} change(s) could NOT be saved:"]
        if queued:
            lines.append(f"  {queued} still queued ({self.last_error or 'unknown error'})")
        if len(unsaved) > queued:
            lines.append(f"  {len(unsaved) - queued} set aside: their claims are no longer in the corpus (re-ingested)")
        if self.recovery_path is not None:
            lines.append(f"  kept in {self.recovery_path}")
            lines.append("  (the next `claimdesk review` of this database offers to replay them); or redo them with:")
        else:
            lines.append(f"  NOT kept in a recovery file ({self.recovery_problem}); redo them with:")
        status_of = self.session.status if self.session is not None else (lambda cid: "")
        lines += ["    " + line for line in recovery.redo_commands(unsaved, db_path, self.reviewer, status_of)]
        return lines
