"""Messages the app's worker threads post to it (the save queue's outcomes, re-reads)."""

from __future__ import annotations

from textual.message import Message

from .review_state import ReviewSession, Snapshot
from .save_queue import Op


class WriteDone(Message):
    def __init__(self, op: Op, before: object = None, after: object = None) -> None:
        super().__init__()
        self.op = op
        self.before = before
        self.after = after


class WriteFailed(Message):
    """A write failed for a reason that may pass: it stays queued and is retried."""

    def __init__(self, op: Op, error: BaseException) -> None:
        super().__init__()
        self.op = op
        self.error = error


class WriteSetAside(Message):
    """A write can never succeed (its claim is gone): taken out of the queue, reported once."""

    def __init__(self, op: Op, error: BaseException) -> None:
        super().__init__()
        self.op = op
        self.error = error


class JudgementsLoaded(Message):
    def __init__(self, snapshot: Snapshot, generation: int, session: ReviewSession) -> None:
        super().__init__()
        self.snapshot = snapshot
        self.generation = generation
        self.session = session  # the session it was digested for (a corpus reload replaces it)


class CorpusLoaded(Message):
    """A changed corpus, read again and indexed in a worker, ready to replace the session."""

    def __init__(self, session: ReviewSession, corpus_token: object, judgements_token: object,
                 done_mark: int) -> None:
        super().__init__()
        self.session = session
        self.corpus_token = corpus_token
        self.judgements_token = judgements_token
        self.done_mark = done_mark
