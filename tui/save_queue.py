"""The save queue: one thread that writes this reviewer's judgements through the store.

No Textual here. The screen changes at once (optimistic) and hands the store calls (`Op`s) to
`Writer`, which applies them in order per claim:

* a write that fails for a reason that may pass (a lock held by another reviewer, a full or
  read-only disk, a shard being repaired) stays queued and is retried every `retry_delay`
  seconds; later changes to *other* claims go ahead meanwhile, changes to the same claim wait
  behind it (their order matters);
* a write that can never succeed (its claim is no longer in the corpus: another reviewer
  re-ingested the article and its claims changed) is taken out of the queue and *set aside*
  (`set_aside()`), reported once through `on_set_aside`, and never blocks anything.

`flush` waits for an empty queue; what is still queued, or set aside, when the app leaves goes
to the recovery file (`tui.recovery`).

A change can be queued *held* (`submit(ops, hold=True)`): it is in the queue at once (counted by
`pending`, written to the recovery file by every way out) but the thread starts writing it only
at `release()`, or `max_hold` seconds later at the latest, or at once when someone `flush`es or
`close`s. The screen holds a tag's write until the tag's frame is drawn, so the write (a few
milliseconds of Python under the GIL, then fsyncs) does not delay what the reviewer sees.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from claimdesk.store.database import UnknownClaim

from .review_state import Mine


@dataclass(frozen=True)
class Op:
    """One change to send to the store. kind: tag | untag | note."""

    kind: str
    claim_id: str
    status: str = ""
    note: str | None = None
    seq: int = 0


@dataclass(frozen=True)
class SetAside:
    """A change that can never be saved, and why (one line)."""

    op: Op
    reason: str


@dataclass
class Edit:
    """One undoable user edit: the state before and after, for one claim."""

    claim_id: str
    before: Mine
    after: Mine


def ops_for(claim_id: str, before: Mine, after: Mine) -> list[Op]:
    """The store calls that take a claim from `before` to `after`."""
    ops: list[Op] = []
    if after.status != before.status:
        if after.status:
            ops.append(Op("tag", claim_id, after.status))
        else:
            ops.append(Op("untag", claim_id))
    if after.note != before.note:
        ops.append(Op("note", claim_id, note=after.note))
    return ops


def never_succeeds(error: BaseException) -> bool:
    """True for a failure that retrying cannot cure: the claim is not in the corpus any more."""
    return isinstance(error, UnknownClaim)


@dataclass
class Writer:
    """The one thread that writes judgements; see the module docstring for what happens when a
    write fails. Nothing is ever dropped: an op is either saved, queued, or set aside."""

    db: Any
    reviewer: str
    lock: threading.RLock
    on_done: Callable[[Op, Any], None] = lambda op, result: None
    on_error: Callable[[Op, BaseException], None] = lambda op, error: None
    on_set_aside: Callable[[Op, BaseException], None] = lambda op, error: None
    retry_delay: float = 2.0
    max_hold: float = 0.25  # seconds a held change may wait for release() before it is written anyway
    permanent: Callable[[BaseException], bool] = never_succeeds
    _queue: deque = field(default_factory=deque)
    _set_aside: list = field(default_factory=list)
    _cv: threading.Condition = field(default_factory=threading.Condition)
    _closed: bool = False
    _seq: int = 0
    _hold_until: float = 0.0  # monotonic time until which queued changes wait (0: not held)
    _thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._run, name="claimdesk-writer", daemon=True)
        self._thread.start()

    def submit(self, ops: Sequence[Op], *, hold: bool = False) -> None:
        """Queue `ops`; with `hold`, the thread waits for `release()` (or `max_hold` seconds)
        before writing (see the module docstring)."""
        with self._cv:
            for op in ops:
                self._seq += 1
                self._queue.append(Op(op.kind, op.claim_id, op.status, op.note, self._seq))
            if hold and ops:
                self._hold_until = time.monotonic() + self.max_hold
            self._cv.notify_all()

    def release(self) -> None:
        """Write what is queued now (ends a `submit(..., hold=True)`'s wait)."""
        with self._cv:
            if self._hold_until:
                self._hold_until = 0.0
                self._cv.notify_all()

    @property
    def held(self) -> bool:
        with self._cv:
            return self._held_for() > 0

    @property
    def pending(self) -> int:
        with self._cv:
            return len(self._queue)

    def pending_claims(self) -> set[str]:
        with self._cv:
            return {op.claim_id for op in self._queue}

    def pending_ops(self) -> list[Op]:
        with self._cv:
            return list(self._queue)

    def set_aside(self) -> list[SetAside]:
        """The changes taken out of the queue because they can never be saved, oldest first."""
        with self._cv:
            return list(self._set_aside)

    def flush(self, timeout: float = 10.0) -> bool:
        """Wait until every queued change is saved or set aside (True), or `timeout` passes."""
        with self._cv:
            self._hold_until = 0.0  # a held change is written now
            self._cv.notify_all()  # wake a retry wait: try again now
            return self._cv.wait_for(lambda: not self._queue, timeout=timeout)

    def close(self, timeout: float = 10.0, join: float = 5.0) -> bool:
        """Flush for up to `timeout` seconds, then stop: what is still queued stays queued (for
        the recovery file), never to be written behind the caller's back afterwards."""
        ok = self.flush(timeout)
        with self._cv:
            self._closed = True
            self._cv.notify_all()
        thread = self._thread
        if thread is not None and thread is not threading.current_thread():
            thread.join(join)  # a store call in flight finishes (or not) before we report
        return ok

    def apply(self, op: Op) -> Any:
        """One store call. Returns (judgement, token before, token after): the screen uses the
        tokens to tell its own write from someone else's, and so skips re-reading for its own."""
        with self.lock:
            before = _token(self.db)
            if op.kind == "tag":
                result = self.db.tag(op.claim_id, op.status, self.reviewer)
            elif op.kind == "untag":
                result = self.db.untag(op.claim_id, self.reviewer)
            else:
                result = self.db.set_note(op.claim_id, self.reviewer, op.note or "")
            return result, before, _token(self.db)

    def _held_for(self) -> float:
        """Seconds the queue is still held (0: write now). Called with the condition held."""
        if not self._hold_until:
            return 0.0
        left = self._hold_until - time.monotonic()
        if left <= 0:
            self._hold_until = 0.0
            return 0.0
        return left

    def _next(self, waiting: set[str]) -> Op | None:
        """The oldest queued op whose claim has no earlier op waiting for a retry."""
        blocked = set(waiting)
        for op in self._queue:
            if op.claim_id not in blocked:
                return op
            blocked.add(op.claim_id)
        return None

    def _run(self) -> None:
        waiting: set[str] = set()  # claims whose head op failed in this round: retried after a pause
        while True:
            with self._cv:
                self._cv.wait_for(lambda: self._queue or self._closed)
                if self._closed:
                    return
                if (left := self._held_for()) > 0:  # until release(), flush() or max_hold
                    self._cv.wait(timeout=left)
                    continue
                op = self._next(waiting)
                if op is None:  # every queued op waits behind a failed one: pause, then retry all
                    self._cv.wait(timeout=self.retry_delay)
                    waiting.clear()
                    continue
            try:
                result = self.apply(op)
            except Exception as error:
                if self.permanent(error):
                    with self._cv:
                        self._queue.remove(op)
                        self._set_aside.append(SetAside(op, str(error) or type(error).__name__))
                        self._cv.notify_all()
                    _safe(self.on_set_aside, op, error)
                else:  # kept queued: retried until it lands
                    waiting.add(op.claim_id)
                    _safe(self.on_error, op, error)
                continue
            with self._cv:
                self._queue.remove(op)
                self._cv.notify_all()
            _safe(self.on_done, op, result)


def _token(db: Any) -> object:
    try:
        return db.judgements_token()
    except Exception:
        return None


def own_change(before: object, after: object) -> bool:
    """True when `after` differs from `before` in at most one judgements file (the one we wrote)."""
    if not isinstance(before, tuple) or not isinstance(after, tuple):
        return False
    names = {entry[0] for entry in set(before) ^ set(after) if isinstance(entry, tuple) and entry}
    return len(names) <= 1


def _safe(fn: Callable[..., Any], *args: Any) -> None:
    try:
        fn(*args)
    except Exception:  # the app may be gone (exit): the write itself is done
        pass
