"""The review screen's views and dialogs: boilerplate shown, the sources pane, help, the filter,
side by side, the CSV export. A mixin of `ReviewScreen` (tui/screens/review.py), which keeps
the cursor, the moves and the edits; these actions use them through the names declared below.
"""

from __future__ import annotations

from typing import Any

from ..review_state import Filter, ReviewSession
from ..widgets.article_view import ArticleView
from ..widgets.evidence import EvidencePane
from ..widgets.sources import SourcesView
from .bindings import REVIEW_BINDINGS
from .host import ReviewHost


class ReviewDialogs:
    """Actions of the review screen that open a view or a dialog (mixed into `ReviewScreen`)."""

    # what ReviewScreen provides (a Textual Screen)
    ai: int
    ci: int
    app: Any
    capp: ReviewHost
    session: ReviewSession | None
    query_one: Any
    notify: Any
    set_class: Any

    def go(self, ai: int, ci: int) -> None: ...  # pragma: no cover - ReviewScreen's
    def _title_article(self) -> None: ...  # pragma: no cover - ReviewScreen's
    def _show_claim(self, restyle: tuple[int, ...] = ()) -> None: ...  # pragma: no cover - ReviewScreen's

    @property
    def current(self) -> Any: ...  # pragma: no cover - ReviewScreen's

    def action_toggle_removed(self) -> None:
        view = self.query_one("#article", ArticleView)
        shown = view.toggle_removed()
        if self.session is not None and self.session.articles:
            self._title_article()
            removed = len(self.session.articles[self.ai].removed)
            self.notify(f"Boilerplate {'shown' if shown else 'hidden'} ({removed} removed piece(s)).")

    def action_toggle_sources(self) -> None:
        """p: hide the sources pane if it shows, show it if it does not (below 100 columns it is
        hidden at first). The choice holds across resizes."""
        shown = self.query_one("#sources", SourcesView).display
        self.set_class(shown, "-sources-hidden")
        self.set_class(not shown, "-sources-shown")
        self.notify("Sources pane " + ("hidden" if shown else "shown") + " (p toggles it).")

    def action_help(self) -> None:
        from .modals import HelpScreen  # the modals are imported when first needed, not at start

        self.app.push_screen(HelpScreen(REVIEW_BINDINGS))

    def action_filter(self) -> None:
        session = self.session
        if session is None:
            return
        from .modals import FilterScreen

        self.app.push_screen(FilterScreen(session.filter), self.apply_filter)

    def apply_filter(self, flt: Filter | None) -> None:
        session = self.session
        if flt is None or session is None:
            return
        matching = session.set_filter(flt)
        sources = self.query_one("#sources", SourcesView)
        rows = session.visible_articles()
        if not matching:
            self.notify(f"No claim matches “{flt.label}”; showing all claims.", severity="warning")
            session.set_filter(Filter())
            rows = session.visible_articles()
        else:
            self.notify(f"Filter: {flt.label} ({matching} claims in {len(rows)} articles).")
        sources.set_rows(rows, self.ai)
        claim = self.current
        if claim is None or not session.matches(claim):
            target = session.next_claim(self.ai, self.ci, 1) or session.next_claim(self.ai, self.ci, -1)
            if target is not None:
                self.ai = -1  # force a full redraw of the article
                self.go(*target)
                return
        self.query_one("#article", ArticleView).restyle()
        self._show_claim()

    def action_side_by_side(self) -> None:
        from .side_by_side import SideBySideScreen

        session = self.session
        if session is None or not session.articles:
            return
        partners = [ai for ai, _n in session.linked_articles(self.ai)]
        if not partners:
            self.notify("No other article shares a linked claim with this one.", severity="warning")
            return
        selected = self.query_one(EvidencePane).selected_link()
        first = 0
        if selected and (pos := session.claim_pos.get(selected)) and pos[0] in partners:
            first = partners.index(pos[0])
        self.app.push_screen(SideBySideScreen(session, self.ai, partners, first))

    def action_export(self) -> None:
        """E: export CSV. With a filter on, what the filter shows (the dialog says so, and
        ctrl+a switches to every claim); else every claim."""
        session = self.session
        if session is None:
            return
        filtered = session.filter.kind != "all"
        shown = sum(session.filter_counts) if filtered else session.total
        from .modals import ExportScreen

        self.app.push_screen(
            ExportScreen(self.capp.default_export_path, filter_label=session.filter.label if filtered else "",
                         shown=shown, total=session.total),
            self.capp.export_to,
        )
