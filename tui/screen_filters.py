"""The review screen's claim filters (`f`): which claims the moves visit. Plain data, no Textual.

The store's `--only` filters (`store.filters`) are the command line's; `tui.csv_export` maps one
onto the other when the screen exports what a filter shows.
"""

from __future__ import annotations

from dataclasses import dataclass

from claimdesk.extract.model import STATUSES


@dataclass(frozen=True)
class Filter:
    """Which claims the moves visit. kind: all | unreviewed | judged | suggested | kind | disagree."""

    kind: str = "all"
    value: str = ""

    @property
    def label(self) -> str:
        if self.kind == "all":
            return "all claims"
        if self.kind == "unreviewed":
            return "unreviewed"
        if self.kind == "disagree":
            return "reviewer disagreements"
        if self.kind == "suggested":
            return f"suggested {self.value or 'nothing'}"
        if self.kind == "judged":
            return f"judged {self.value}"
        return f"kind {self.value}"


FILTERS: tuple[Filter, ...] = (
    Filter("all"),
    Filter("unreviewed"),
    *(Filter("judged", s) for s in STATUSES),
    *(Filter("suggested", s) for s in (*STATUSES, "")),
    *(Filter("kind", k) for k in ("statistic", "quote", "event", "statement")),
    Filter("disagree"),
)
