"""Judgements: what a reviewer decided about a claim, with every earlier value kept.

A `Judgement` is one reviewer's current view of one claim. Its `history` is the full log of
changes to it, oldest first, the last entry being the current value: tagging, re-tagging,
clearing (untag) and note edits all append; nothing ever erases the past.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime, timezone
from typing import Any, Iterable

from claimdesk.store.build import fast_builder



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
    account: str = ""  # the OS account (effective uid) of the process that made it; "" when not recorded


@dataclass(frozen=True, slots=True)
class Judgement:
    claim_id: str
    reviewer: str
    status: str  # one of STATUSES, or "" (cleared / only a note)
    note: str
    created: str  # UTC ISO 8601: the first change
    updated: str  # UTC ISO 8601: the last change
    # every change, oldest first (history[-1] is the current value); None when the read did not
    # ask for it (current values only: what the screen, export and figures need, 10x faster)
    history: tuple[Change, ...] | None = None

    @property
    def judged(self) -> bool:
        """True when the reviewer has a status on the claim (not cleared)."""
        return bool(self.status)


def judgement_to_row(j: Judgement, changes: int) -> dict[str, Any]:
    """A judgement's current values as a shard row (schema 4); its changes are in the shard's
    history log (`store.history`), `changes` says how many of them are committed."""
    return {
        "claim_id": j.claim_id,
        "reviewer": j.reviewer,
        "status": j.status,
        "note": j.note,
        "created": j.created,
        "updated": j.updated,
        "changes": changes,
    }


_build_judgement = fast_builder(Judgement)


def judgements_from_rows(rows: Iterable[dict[str, Any]], reviewer: str | None = None) -> list[Judgement]:
    """Judgements (history None) from shard rows, of `reviewer` if given. 50,000 judgements are
    read at every start of the review screen: a lean loop."""
    out: list[Judgement] = []
    append = out.append
    build = _build_judgement
    for row in rows:
        try:
            if reviewer is not None and row["reviewer"] != reviewer:
                continue
            append(build(row["claim_id"], row["reviewer"], row["status"], row["note"], row["created"], row["updated"], None))
        except (KeyError, TypeError):
            if reviewer is None or (isinstance(row, dict) and row.get("reviewer") == reviewer):
                append(judgement_from_row(row))
    return out


def judgement_from_row(row: dict[str, Any], history: tuple[Change, ...] | None = None) -> Judgement:
    """One judgement from a shard row (schema 4, or a schema-2/3 row with its history inside:
    then that history is used). Raises KeyError/TypeError for a row without claim or reviewer."""
    if "history" in row and history is None:
        history = tuple(_change(c) for c in row["history"] or ())
    return Judgement(
        claim_id=row["claim_id"],
        reviewer=row["reviewer"],
        status=row.get("status", ""),
        note=row.get("note", ""),
        created=row.get("created", row.get("updated", "")),
        updated=row.get("updated", ""),
        history=history,
    )


def _change(c: Any) -> Change:
    if isinstance(c, dict):  # the earliest schema-2 rows
        return Change(c["at"], c["reviewer"], c["status"], c["note"], c["action"])
    return Change(*c[:5])


def committed_changes(row: dict[str, Any]) -> int:
    """How many changes a shard row has committed (a schema-2/3 row: the length of its history)."""
    n = row.get("changes")
    if isinstance(n, int):
        return n
    return len(row.get("history") or ())
