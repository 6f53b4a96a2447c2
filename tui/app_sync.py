"""The review app kept in step with the database: every poll (1 s) stats the judgements and the
corpus; changed shards are re-read and digested in a thread (all of them every FULL_RELOAD_POLLS
polls); a changed corpus (someone re-ingested) is read and indexed in a worker and swapped in,
keeping the reviewer's place, filter and unsaved changes.

`DatabaseSync` is a mixin of `ClaimdeskApp` (tui/app.py), which provides the attributes below and
Textual's App.
"""

from __future__ import annotations

import contextlib
import threading
from typing import Any

from textual import work
from textual.css.query import NoMatches

from .messages import CorpusLoaded, JudgementsLoaded
from .review_state import Filter, ReviewSession

FULL_RELOAD_POLLS = 30  # re-read every 30 polls even without a change seen (belt and braces)


class DatabaseSync:
    """Mixed into ClaimdeskApp (which provides the attributes below, and Textual's App)."""

    db: Any
    reviewer: str
    writer: Any
    session: ReviewSession | None
    review: Any
    undo_stack: list[Any]
    redo_stack: list[Any]
    _exiting: bool
    _post_lock: threading.Lock
    _polls: int
    _reload_seq: int
    _token: object
    _read_token: object
    _corpus_token: object
    _corpus_loading: bool
    _corpus_unreadable: object
    _done_count: int
    _done_gen: dict[str, int]

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

    def on_judgements_loaded(self, message: JudgementsLoaded) -> None:
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

    def on_corpus_loaded(self, message: CorpusLoaded) -> None:
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
