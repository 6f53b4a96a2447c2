"""What the screens need from the app, as a protocol, so no screen imports the app (which
imports the screens): `ReviewHost` is what `ReviewScreen` calls; `ExportRequest` is what the
export dialog answers."""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Protocol

from ..review_state import ReviewSession


@dataclass(frozen=True)
class ExportRequest:
    """Where to export, and whether only the claims the filter shows (else all claims)."""

    path: Path
    shown_only: bool


class ReviewHost(Protocol):
    """The app as the review screen sees it (`ClaimdeskApp` is one)."""

    reviewer: str
    advance: bool
    show_times: bool
    db_label: str
    save_state: str

    @property
    def session(self) -> ReviewSession | None: ...

    @property
    def leaving(self) -> bool: ...

    def apply_edit(self, claim_id: str, *, status: str | None = None, note: str | None = None) -> bool: ...

    def undo(self) -> str | None: ...

    def redo(self) -> str | None: ...

    def default_export_path(self, shown_only: bool) -> Path: ...

    def export_to(self, request: ExportRequest | None) -> None: ...
