"""The review screen's state, plain (no Textual): the corpus indexed for fast moves, this
reviewer's judgements and the others', the filter, and the moves over them.

`ReviewSession` is built once, off the UI thread. Every keypress path touches only the current
article's claims (plus O(articles) integer scans for "next unreviewed"), never the whole corpus.
Saving is `tui.save_queue`'s; what survives an exit that could not save is `tui.recovery`'s.
"""

from __future__ import annotations

import threading
from itertools import count, groupby, repeat
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from claimdesk.extract.model import Article, Claim, Link, Suggestion
from claimdesk.store.database import DatabaseError
from claimdesk.store.gc_pause import no_gc

from .screen_filters import FILTERS, Filter  # noqa: F401 - FILTERS: the screens take both from here too

SYMBOLS = {"corroborated": "✓", "disputed": "✗", "unsourced": "?", "": "·"}
LETTERS = {"corroborated": "C", "disputed": "D", "unsourced": "U", "": " "}


def symbol(status: str) -> str:
    return SYMBOLS.get(status, "·")


# ------------------------------------------------------------------------------------ session

@dataclass(frozen=True)
class Mine:
    """This reviewer's current view of a claim, as the screen shows it (may be ahead of the db)."""

    status: str = ""
    note: str = ""


Others = tuple[tuple[str, str], ...]  # ((reviewer, status), ...) of the other reviewers, sorted


@dataclass
class Snapshot:
    """One read of the judgements, digested; `changed_*`: claims that differ from the read before."""

    mine: dict[str, Mine]
    others: dict[str, Others]
    activity: list[tuple[str, int, str]]
    changed_mine: set[str]
    changed_others: set[str]


class ArticleClaims(Sequence):
    """One article's claims: positions in the corpus' claim list, built on first access."""

    __slots__ = ("_all", "_rows")

    def __init__(self, all_claims: Sequence[Claim], rows: list[int]) -> None:
        self._all = all_claims
        self._rows = rows

    def __len__(self) -> int:
        return len(self._rows)

    def __getitem__(self, i):  # type: ignore[no-untyped-def, override]
        if isinstance(i, slice):
            get = self._all.__getitem__
            return [get(k) for k in self._rows[i]]
        return self._all[self._rows[i]]

    def __iter__(self):  # type: ignore[no-untyped-def]
        get = self._all.__getitem__
        return (get(k) for k in self._rows)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, tuple, ArticleClaims)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __repr__(self) -> str:
        return f"<ArticleClaims {len(self)} claims>"


class ReviewSession:
    """The corpus and judgements, indexed. Built by `load` (one corpus read, one judgements read)."""

    def __init__(self, db: Any, reviewer: str, corpus: Any, judgements: Iterable[Any]) -> None:
        # ~200,000 long-lived objects without reference cycles (indexes, judgements digested):
        # build them with the cyclic GC paused, then freeze them, as the store does the corpus,
        # instead of a full collection over everything in the middle of start-up
        with no_gc(after="freeze"):
            self._build(db, reviewer, corpus, judgements)

    def _build(self, db: Any, reviewer: str, corpus: Any, judgements: Iterable[Any]) -> None:
        self.db = db
        self.reviewer = reviewer
        self.corpus = corpus
        self.articles: list[Article] = list(corpus.articles)
        self.article_pos: dict[str, int] = {a.id: i for i, a in enumerate(self.articles)}
        # Index the claims by their ids alone: a claim object is built when a screen first needs
        # it (56,000 claims cost a third of a second to build and most are never shown).
        all_claims = corpus.claims
        if hasattr(all_claims, "ids") and hasattr(all_claims, "article_ids"):  # a store LazyClaims
            ids, article_ids = all_claims.ids(), all_claims.article_ids()
        else:
            ids, article_ids = [c.id for c in all_claims], [c.article_id for c in all_claims]
        rows: list[list[int]] = [[] for _ in self.articles]
        self.claim_pos: dict[str, tuple[int, int]] = {}
        article_pos = self.article_pos
        claim_pos = self.claim_pos
        i = 0
        for aid, run in groupby(article_ids):  # the corpus keeps an article's claims together
            n = sum(1 for _ in run)
            ai = article_pos.get(aid)
            if ai is not None:
                row = rows[ai]
                claim_pos.update(zip(ids[i:i + n], zip(repeat(ai), count(len(row)))))
                row.extend(range(i, i + n))
            i += n
        self.claims: list[Sequence[Claim]] = [ArticleClaims(all_claims, row) for row in rows]
        self.total = sum(len(r) for r in rows)
        self._lower: dict[str, str] = {}  # casefolded texts for search, made on first search
        linkage = corpus.linkage
        # the store's suggestions: a mapping over columns, each Suggestion built when asked for
        self.suggestions: Mapping[str, Suggestion] = linkage.suggestions
        self.families: dict[str, str] = dict(linkage.families)
        # the corpus indexes links by claim, reading its links file on first use (one index, not
        # two: 2,000 articles of one story can carry half a million links)
        self._links_of = corpus.links_of
        members: dict[str, int] = {}
        for fam in self.families.values():
            members[fam] = members.get(fam, 0) + 1
        self.family_size = members
        order = sorted(members)
        self.family_label = {fam: _letters(i) for i, fam in enumerate(order)}
        self.mine: dict[str, Mine] = {}
        self.others: dict[str, Others] = {}
        self._last: Snapshot | None = None
        self._digest_lock = threading.Lock()
        self._held: set[str] = set()
        self.reviewed: list[int] = [0] * len(self.articles)
        self.reviewed_total = 0
        self.activity: list[tuple[str, int, str]] = []  # (reviewer, judged count, last update)
        self.apply_judgements(judgements)
        self.filter = Filter()
        self.filter_counts: list[int] = [len(c) for c in self.claims]

    @classmethod
    def load(cls, db: Any, reviewer: str) -> ReviewSession:
        return cls(db, reviewer, db.corpus(), db.judgements())

    # -------------------------------------------------------------- judgements

    def apply_judgements(self, judgements: Iterable[Any], skip: set[str] | frozenset = frozenset()) -> None:
        """Take a fresh read of the judgements; claims in `skip` keep their local state."""
        self.adopt(self.digest(judgements), skip)

    def digest(self, judgements: Iterable[Any]) -> Snapshot:
        """Index a judgements read and diff it against the read before. Runs in a worker thread
        (it touches only its own state); unchanged values reuse the objects of the last read, so
        the screen thread's work in `adopt` is O(changes), not O(judgements)."""
        with self._digest_lock, no_gc(after="promote"):
            last = self._last
            last_mine = last.mine if last else {}
            last_others = last.others if last else {}
            mine: dict[str, Mine] = {}
            others: dict[str, Others] = {}  # built as final tuples: no second pass over 50,000
            judged: dict[str, int] = {}  # other reviewer -> claims with a status
            latest: dict[str, str] = {}  # other reviewer -> last update
            me = self.reviewer
            get_old = last_mine.get
            get_pairs = others.get
            for j in judgements:  # 50,000 judgements: keep this loop lean
                reviewer = j.reviewer
                cid = j.claim_id
                status = j.status
                if reviewer == me:
                    old = get_old(cid)
                    note = j.note or ""
                    mine[cid] = old if old is not None and old.status == status and old.note == note \
                        else Mine(status, note)
                    continue
                pairs = get_pairs(cid)
                if pairs is None:
                    others[cid] = ((reviewer, status),)
                else:  # a second reviewer on the claim (rare): sorted by reviewer
                    others[cid] = tuple(sorted((*pairs, (reviewer, status))))
                n = judged.get(reviewer)
                if n is None:
                    judged[reviewer] = 1 if status else 0
                    latest[reviewer] = j.updated or ""
                else:
                    if status:
                        judged[reviewer] = n + 1
                    when = j.updated
                    if when and when > latest[reviewer]:
                        latest[reviewer] = when
            if last_others:
                changed_others = set()
                for cid, value in others.items():  # unchanged values keep the last read's objects
                    old = last_others.get(cid)
                    if old == value:
                        others[cid] = old
                    else:
                        changed_others.add(cid)
                changed_others.update(cid for cid in last_others if cid not in others)
            else:  # the first read: everything is new
                changed_others = set(others)
            if last_mine:
                changed_mine = {cid for cid, m in mine.items() if last_mine.get(cid) is not m}
                changed_mine.update(cid for cid in last_mine if cid not in mine)
            else:
                changed_mine = set(mine)
            snap = Snapshot(mine, others, _activity(judged, latest), changed_mine, changed_others)
            self._last = snap
            return snap

    def digest_upserts(self, upserts: Iterable[Any]) -> Snapshot:
        """Digest a partial read: the judgements of the shards written since the last read
        (`Database.judgements_since`). Rows are never deleted, so each is an upsert onto the
        read before. O(upserts), where `digest` is O(judgements): another reviewer's tag costs
        the screen one shard, not 50,000 judgements. The first read must be a `digest`."""
        with self._digest_lock:
            last = self._last
            if last is None:
                raise RuntimeError("digest_upserts before a full digest")
            mine, others = dict(last.mine), dict(last.others)
            judged = {r: n for r, n, _when in last.activity}
            latest = {r: when for r, _n, when in last.activity}
            changed_mine: set[str] = set()
            changed_others: set[str] = set()
            me = self.reviewer
            for j in upserts:
                cid, reviewer, status = j.claim_id, j.reviewer, j.status
                if reviewer == me:
                    old = mine.get(cid)
                    note = j.note or ""
                    if old is None or old.status != status or old.note != note:
                        mine[cid] = Mine(status, note)
                        changed_mine.add(cid)
                    continue
                pairs = others.get(cid, ())
                before = next((st for r, st in pairs if r == reviewer), None)
                if before != status:
                    others[cid] = tuple(sorted([pair for pair in pairs if pair[0] != reviewer] + [(reviewer, status)]))
                    changed_others.add(cid)
                judged[reviewer] = judged.get(reviewer, 0) + bool(status) - bool(before)
                when = j.updated or ""
                if reviewer not in latest or when > latest[reviewer]:
                    latest[reviewer] = when
            snap = Snapshot(mine, others, _activity(judged, latest), changed_mine, changed_others)
            self._last = snap
            return snap

    def adopt(self, snap: Snapshot, skip: set[str] | frozenset = frozenset()) -> None:
        """Apply a digested read (in order); claims in `skip` (writes in flight) keep what the
        screen shows. O(changed claims)."""
        pos = self.claim_pos
        if not self.others and not self._held and snap.changed_others == snap.others.keys():
            self.others = dict(snap.others)  # the first read: one copy, not 50,000 assignments
            changed_others: Iterable[str] = ()
        else:
            changed_others = snap.changed_others
        todo = snap.changed_mine | self._held if self._held else snap.changed_mine
        self._held = {cid for cid in todo if cid in skip}  # applied by a later adopt
        for cid in todo:
            if cid in skip:
                continue
            new = snap.mine.get(cid)
            old = self.mine.get(cid)
            delta = bool(new and new.status) - bool(old and old.status)
            if delta and cid in pos:
                self.reviewed[pos[cid][0]] += delta
                self.reviewed_total += delta
            if new is None:
                self.mine.pop(cid, None)
            else:
                self.mine[cid] = new
        for cid in changed_others:
            value = snap.others.get(cid)
            if value is None:
                self.others.pop(cid, None)
            else:
                self.others[cid] = value
        self.activity = snap.activity

    def suggested_status(self, claim_id: str) -> str:
        """The suggested status of a claim ("" when none), without building its Suggestion."""
        status_of = getattr(self.suggestions, "status_of", None)
        if status_of is not None:
            return status_of(claim_id)
        s = self.suggestions.get(claim_id)
        return s.status if s else ""

    def status(self, claim_id: str) -> str:
        m = self.mine.get(claim_id)
        return m.status if m else ""

    def note(self, claim_id: str) -> str:
        m = self.mine.get(claim_id)
        return m.note if m else ""

    def set_local(self, claim_id: str, status: str | None = None, note: str | None = None) -> None:
        """Change this reviewer's view of one claim (optimistic: before the db has it). O(1)."""
        m = self.mine.get(claim_id) or Mine()
        before = bool(m.status)
        if status is not None:
            m = Mine(status, m.note)
        if note is not None:
            m = Mine(m.status, note)
        self.mine[claim_id] = m
        after = bool(m.status)
        if before != after and claim_id in self.claim_pos:
            delta = 1 if after else -1
            self.reviewed[self.claim_pos[claim_id][0]] += delta
            self.reviewed_total += delta

    def other_statuses(self, claim_id: str) -> dict[str, str]:
        return {r: status for r, status in self.others.get(claim_id, ()) if status}

    def disagrees(self, claim_id: str) -> bool:
        statuses = set(self.other_statuses(claim_id).values())
        mine = self.status(claim_id)
        if mine:
            statuses.add(mine)
        return len(statuses) > 1

    # -------------------------------------------------------------- corpus helpers

    links_unreadable = False  # the app's read of the links file failed (and said so)

    @property
    def links_ready(self) -> bool:
        """The links file is read, or could not be (the app reads it after the first screen;
        `links_of` before that reads it on the spot)."""
        return self.links_unreadable or bool(getattr(self.corpus, "links_loaded", True))

    def links_of(self, claim_id: str) -> list[Link]:
        if self.links_unreadable:  # said once; not read again at every claim
            return []
        try:
            return self._links_of(claim_id)
        except DatabaseError:  # a damaged links file: the app has said so; show no links
            return []

    def claim(self, claim_id: str) -> Claim | None:
        pos = self.claim_pos.get(claim_id)
        return self.claims[pos[0]][pos[1]] if pos else None

    def article_of(self, claim: Claim) -> Article:
        return self.articles[self.article_pos[claim.article_id]]

    def family(self, article_id: str) -> tuple[str, int]:
        fam = self.families.get(article_id, "")
        return self.family_label.get(fam, "-"), self.family_size.get(fam, 1)

    def lower(self, claim: Claim) -> str:
        text = self._lower.get(claim.id)
        if text is None:
            text = self._lower[claim.id] = claim.text.casefold()
        return text

    # -------------------------------------------------------------- filtering and moves

    def matches(self, claim: Claim, flt: Filter | None = None) -> bool:
        flt = flt or self.filter
        kind = flt.kind
        if kind == "all":
            return True
        if kind == "unreviewed":
            return not self.status(claim.id)
        if kind == "judged":
            return self.status(claim.id) == flt.value
        if kind == "suggested":
            return self.suggested_status(claim.id) == flt.value
        if kind == "kind":
            return claim.kind == flt.value
        if kind == "disagree":
            return self.disagrees(claim.id)
        return True

    def set_filter(self, flt: Filter) -> int:
        """Apply a filter; returns how many claims match. O(claims), once per filter change."""
        self.filter = flt
        if flt.kind == "all":
            self.filter_counts = [len(c) for c in self.claims]
        else:
            self.filter_counts = [sum(1 for c in cs if self.matches(c, flt)) for cs in self.claims]
        return sum(self.filter_counts)

    def recount(self, articles: Iterable[int]) -> None:
        """The filter's counts of these articles again (after local changes to their claims)."""
        for ai in articles:
            self.filter_counts[ai] = sum(1 for c in self.claims[ai] if self.matches(c))

    def visible_articles(self) -> list[int]:
        return [i for i, n in enumerate(self.filter_counts) if n]

    def step(self, ai: int, ci: int, direction: int, want: Callable[[Claim], bool], *,
             cross: bool = True, wrap: bool = True,
             skip_article: Callable[[int], bool] | None = None) -> tuple[int, int] | None:
        """The next claim from (ai, ci) in `direction` that `want` accepts, or None."""
        n = len(self.articles)
        if not n:
            return None
        cs = self.claims[ai]
        i = ci + direction
        while 0 <= i < len(cs):
            if want(cs[i]):
                return ai, i
            i += direction
        if not cross:
            return None
        for s in range(1, n + 1):
            aj = ai + direction * s
            if not wrap and not 0 <= aj < n:
                return None
            aj %= n
            if skip_article is not None and skip_article(aj):
                continue
            cs = self.claims[aj]
            if aj == ai:  # wrapped all the way round: the part before the cursor, then itself
                rng = range(0, ci + 1) if direction > 0 else range(len(cs) - 1, ci - 1, -1)
            else:
                rng = range(len(cs)) if direction > 0 else range(len(cs) - 1, -1, -1)
            for i in rng:
                if want(cs[i]):
                    return aj, i
        return None

    def next_claim(self, ai: int, ci: int, direction: int) -> tuple[int, int] | None:
        """j/k: the next claim passing the filter, crossing articles (no wrap-around)."""
        return self.step(ai, ci, direction, self.matches, wrap=False,
                         skip_article=lambda a: not self.filter_counts[a])

    def next_unreviewed(self, ai: int, ci: int, direction: int = 1) -> tuple[int, int] | None:
        """n/N: the next claim I have not judged (and the filter lets through), wrapping."""
        def want(c: Claim) -> bool:
            return not self.status(c.id) and self.matches(c)

        return self.step(ai, ci, direction, want,
                         skip_article=lambda a: self.reviewed[a] >= len(self.claims[a])
                         or not self.filter_counts[a])

    def search(self, ai: int, ci: int, text: str, direction: int = 1) -> tuple[int, int] | None:
        needle = text.casefold().strip()
        if not needle:
            return None
        return self.step(ai, ci, direction, lambda c: needle in self.lower(c))

    def first_in_article(self, ai: int) -> int:
        for i, c in enumerate(self.claims[ai]):
            if self.matches(c):
                return i
        return 0

    def find_place(self, claim_id: str, article_id: str, ci: int) -> tuple[int, int] | None:
        """Where a reviewer who was on (claim, article, index) in an earlier corpus is now: the
        same claim if it is still there, else the same article at the same index (clamped),
        else None."""
        pos = self.claim_pos.get(claim_id)
        if pos is not None:
            return pos
        ai = self.article_pos.get(article_id)
        if ai is None:
            return None
        return ai, max(0, min(ci, len(self.claims[ai]) - 1))

    def linked_articles(self, ai: int) -> list[tuple[int, int]]:
        """Other articles linked to article `ai`, with how many links, most first."""
        counts: dict[int, int] = {}
        for c in self.claims[ai]:
            for link in self.links_of(c.id):
                pos = self.claim_pos.get(link.other_id)
                if pos and pos[0] != ai:
                    counts[pos[0]] = counts.get(pos[0], 0) + 1
        return sorted(counts.items(), key=lambda kv: (-kv[1], kv[0]))


def _letters(i: int) -> str:
    out = ""
    i += 1
    while i:
        i, r = divmod(i - 1, 26)
        out = chr(65 + r) + out
    return out


def _activity(judged: dict[str, int], latest: dict[str, str]) -> list[tuple[str, int, str]]:
    """(reviewer, judged count, last update) of the other reviewers, the most recent first."""
    return sorted(((r, c, latest[r]) for r, c in judged.items()), key=lambda t: t[2], reverse=True)
