"""CSV export from the review screen (`E`): where the dialog proposes to write, and the export
itself in a worker once the save queue is flushed (what is on screen is what gets exported).

`Exporting` is a mixin of `ClaimdeskApp` (tui/app.py), which provides the attributes below and
Textual's App.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from textual import work

from . import csv_export
from .review_state import Filter, ReviewSession
from .screens.host import ExportRequest


class Exporting:
    """Mixed into ClaimdeskApp (which provides the attributes below, and Textual's App)."""

    db: Any
    db_lock: Any
    reviewer: str
    writer: Any
    session: ReviewSession | None
    export_dir: Path | None
    flush_timeout: float

    def default_export_path(self, shown_only: bool = False) -> Path:
        """Where `E` proposes to write (`csv_export.proposed_path`)."""
        flt = self.session.filter if shown_only and self.session is not None else None
        return csv_export.proposed_path(self._export_folder(), self.db.path, self.reviewer, flt)

    def _export_folder(self) -> Path:
        folder = self.export_dir if self.export_dir is not None else csv_export.default_folder()
        return self.db.path.parent if csv_export.inside(folder, self.db.path) else folder

    def export_to(self, request: ExportRequest | Path | None) -> None:
        """Export as the dialog answered (a bare path: every claim)."""
        if isinstance(request, Path):
            request = ExportRequest(request, shown_only=False)
        if request is not None and self.session is not None:
            self._export(request.path, self.session.filter if request.shown_only else Filter())

    @work(thread=True, group="export")
    def _export(self, path: Path, flt: Filter) -> None:
        self.writer.flush(self.flush_timeout)  # what is on screen is what gets exported
        with self.db_lock:
            message, ok = csv_export.export(self.db, path, flt, self.reviewer,
                                            create_folder=path.parent == self._export_folder())
        self.call_from_thread(self.notify, message, severity="information" if ok else "error", markup=False)
