"""The status bar: reviewer, progress n/N with a bar, database, saved state, others' activity."""

from __future__ import annotations

from datetime import datetime

from textual.content import Content
from textual.widgets import Static


def _local_time(iso: str) -> str:
    try:
        return datetime.fromisoformat(iso).astimezone().strftime("%H:%M")
    except ValueError:
        return ""


def progress_bar(done: int, total: int, width: int = 10) -> str:
    if total <= 0:
        return "░" * width
    filled = min(width, round(width * done / total))
    return "█" * filled + "░" * (width - filled)


class StatusBar(Static):
    _shown: tuple | None = None

    def show(
        self,
        *,
        reviewer: str,
        done: int,
        total: int,
        db_label: str,
        saved: str,
        filter_label: str = "",
        advance: bool = True,
        activity: list[tuple[str, int, str]] | None = None,
        show_times: bool = True,
    ) -> None:
        pct = f"{100 * done // total}%" if total else "-"
        parts: list[Content | str | tuple[str, str]] = [
            (f" {reviewer} ", "bold reverse"),
            f" {done}/{total} ",
            (progress_bar(done, total), "bold"),
            f" {pct} │ {db_label} │ ",
            (saved, "bold" if saved.startswith("⚠") else ""),
        ]
        if filter_label:
            parts.append(f" │ filter: {filter_label}")
        if not advance:
            parts.append(" │ no-advance")
        for reviewer_name, count, last in (activity or [])[:3]:
            when = f" {_local_time(last)}" if show_times and last else ""
            parts.append(f" │ {reviewer_name} {count}{when}")
        content = Content.assemble(*parts)
        key = (content.plain, tuple(content.spans))  # Content's == compares the text only
        if key == self._shown:
            return  # nothing changed: no repaint
        self._shown = key
        self.update(content, layout=False)  # one line high whatever it says: no layout pass
