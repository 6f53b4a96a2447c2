"""The suggestions as stored in corpus.json (columns) and read back as a lazy mapping."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Mapping
from typing import Any

from claimdesk.extract.model import Suggestion, from_dict
from claimdesk.store.build import fast_builder
from claimdesk.store.corpus_tables import rows_of
from claimdesk.store.errors import DatabaseError

_build_suggestion = fast_builder(Suggestion)


def encode_suggestions(suggestions: Iterable[Suggestion]) -> dict[str, Any]:
    """The suggestions as one TinyDB document of columns: {"claims": [ids], "status": [positions
    in "statuses"], "reason": [positions in "reasons"], "statuses", "reasons"} (56,000 rows as
    dicts parse three times slower; reasons repeat)."""
    statuses: dict[str, int] = {}
    reasons: dict[str, int] = {}
    ids, status, reason = [], [], []
    for s in suggestions:
        ids.append(s.claim_id)
        status.append(statuses.setdefault(s.status, len(statuses)))
        reason.append(reasons.setdefault(s.reason, len(reasons)))
    return {"claims": ids, "status": status, "reason": reason, "statuses": list(statuses), "reasons": list(reasons)}


class SuggestionTable(Mapping):
    """The suggestions as a read-only mapping claim id -> Suggestion over the stored columns; a
    Suggestion is built when asked for (the screen reads a few hundred of 56,000 at a time)."""

    def __init__(self, ids: list[str], status: list[int], reason: list[int], statuses: list[str], reasons: list[str]):
        if not (len(ids) == len(status) == len(reason)):
            raise DatabaseError("suggestions: malformed (columns of different lengths)")
        try:
            inside = all(0 <= min(col, default=0) and max(col, default=-1) < len(table)
                         for col, table in ((status, statuses), (reason, reasons)))
        except TypeError:  # a position that is not a number
            inside = False
        if not inside:
            raise DatabaseError("suggestions: malformed (a position outside its table)")
        self._pos = dict(zip(ids, range(len(ids))))
        self._status, self._reason = status, reason
        self._statuses, self._reasons = statuses, reasons

    def _at(self, claim_id: str, i: int) -> Suggestion:
        return _build_suggestion(claim_id, self._statuses[self._status[i]], self._reasons[self._reason[i]])

    def __getitem__(self, claim_id: str) -> Suggestion:
        return self._at(claim_id, self._pos[claim_id])

    def get(self, claim_id: str, default: Any = None) -> Any:  # the hot path: no exception
        i = self._pos.get(claim_id)
        return default if i is None else self._at(claim_id, i)

    def status_of(self, claim_id: str) -> str:
        """The suggested status ("" when none), without building the Suggestion."""
        i = self._pos.get(claim_id)
        return "" if i is None else self._statuses[self._status[i]]

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._pos

    def __iter__(self) -> Iterator[str]:
        return iter(self._pos)

    def __len__(self) -> int:
        return len(self._pos)

    def __repr__(self) -> str:
        return f"<SuggestionTable {len(self)} suggestions>"


def decode_suggestions(data: dict[str, Any]) -> Mapping[str, Suggestion]:
    rows = rows_of(data, "suggestions")
    build = _build_suggestion
    if len(rows) == 1 and "claims" in rows[0] and "claim_id" not in rows[0]:  # the columns (schema 3)
        doc = rows[0]
        try:
            return SuggestionTable(doc["claims"], doc["status"], doc["reason"], doc["statuses"], doc["reasons"])
        except (KeyError, TypeError) as exc:
            raise DatabaseError(f"suggestions: malformed ({exc})") from None
    out = {}
    for row in rows:  # one row per suggestion (schema 2)
        out[row["claim_id"]] = (
            build(row["claim_id"], row["status"], row["reason"]) if len(row) == 3 else from_dict(Suggestion, row)
        )
    return out
