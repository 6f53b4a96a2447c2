"""Judgements: what a reviewer decided about a claim, with every earlier value kept.

A `Judgement` is one reviewer's current view of one claim. Its `history` is the full log of
changes to it, oldest first, the last entry being the current value: tagging, re-tagging,
clearing (untag) and note edits all append; nothing ever erases the past.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable

from store.build import fast_builder



def utc_now() -> str:
    """Now, UTC, ISO 8601 with microseconds: "2026-11-22T11:30:00.123456+00:00"."""
    return datetime.now(timezone.utc).isoformat(timespec="microseconds")


@dataclass(frozen=True, slots=True)
class Change:
    """One change to a judgement: the value it set, who set it, when, and how."""

    at: str  # UTC ISO 8601
    reviewer: str
    status: str  # one of STATUSES, or "" (cleared)
    note: str
    action: str  # "tag" | "untag" | "note" | "migrate" (carried over from a schema-1 database)


@dataclass(frozen=True, slots=True)
class Judgement:
    claim_id: str
    reviewer: str
    status: str  # one of STATUSES, or "" (cleared / only a note)
    note: str
    created: str  # UTC ISO 8601: the first change
    updated: str  # UTC ISO 8601: the last change
    history: tuple[Change, ...] = ()  # every change, oldest first; history[-1] is the current value

    @property
    def judged(self) -> bool:
        """True when the reviewer has a status on the claim (not cleared)."""
        return bool(self.status)


def judgement_to_doc(j: Judgement) -> dict[str, Any]:
    return {
        "claim_id": j.claim_id,
        "reviewer": j.reviewer,
        "status": j.status,
        "note": j.note,
        "created": j.created,
        "updated": j.updated,
        "history": [[c.at, c.reviewer, c.status, c.note, c.action] for c in j.history],
    }


_build_judgement = fast_builder(Judgement)
_build_change = fast_builder(Change)


def judgement_from_doc(doc: dict[str, Any]) -> Judgement:
    try:  # the layout `judgement_to_doc` writes
        history = doc["history"]
        if len(history) == 1:  # the common case: tagged once
            changes: tuple[Change, ...] = (_build_change(*history[0]),)
        else:
            change = _build_change
            changes = tuple([change(*c) for c in history])
        return _build_judgement(
            doc["claim_id"], doc["reviewer"], doc["status"], doc["note"], doc["created"], doc["updated"], changes
        )
    except (KeyError, TypeError):
        pass
    history = []
    for c in doc.get("history", ()):
        if isinstance(c, dict):
            history.append(Change(c["at"], c["reviewer"], c["status"], c["note"], c["action"]))
        else:
            history.append(Change(*c))
    return Judgement(
        claim_id=doc["claim_id"],
        reviewer=doc["reviewer"],
        status=doc.get("status", ""),
        note=doc.get("note", ""),
        created=doc.get("created", doc.get("updated", "")),
        updated=doc.get("updated", ""),
        history=tuple(history),
    )


def judgements_from_docs(docs: Iterable[dict[str, Any]], reviewer: str | None = None) -> list[Judgement]:
    """`judgement_from_doc` over many documents (of `reviewer`, if given), inlined: 50,000
    judgements are read at every start of the review screen."""
    out: list[Judgement] = []
    append = out.append
    build, change = _build_judgement, _build_change
    for doc in docs:
        try:
            if reviewer is not None and doc["reviewer"] != reviewer:
                continue
            history = doc["history"]
            if len(history) == 1:
                changes: tuple[Change, ...] = (change(*history[0]),)
            else:
                changes = tuple([change(*c) for c in history])
            append(build(doc["claim_id"], doc["reviewer"], doc["status"], doc["note"], doc["created"], doc["updated"], changes))
        except (KeyError, TypeError):
            if reviewer is None or doc.get("reviewer") == reviewer:
                append(judgement_from_doc(doc))
    return out
