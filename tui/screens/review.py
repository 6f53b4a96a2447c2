"""The review screen: sources | article | evidence, a status bar, the footer; every review key.

All keys are `Binding`s with an `id`, so `App.set_keymap` (and `claimdesk review --keys`) can
remap them; the footer, the `?` help screen and the command palette all read them from here.
Edits go through `ClaimdeskApp.apply_edit` (optimistic update + queued write + undo history).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import cast

from textual import events, on
from textual.app import ComposeResult
from textual.containers import Horizontal, Vertical
from textual.screen import Screen
from textual.widgets import Input

from claimdesk.extract.model import Claim
from claimdesk.tui.date_label import date_label

from ..widgets.article_view import ArticleView
from ..widgets.evidence import EvidencePane
from ..widgets.key_bar import KeyBar
from ..widgets.sources import SourcesView
from ..widgets.status import StatusBar
from ..review_state import ReviewSession
from .bindings import REVIEW_BINDINGS
from .host import ReviewHost
from .review_dialogs import ReviewDialogs


class ReviewScreen(ReviewDialogs, Screen[None]):
    BINDINGS = REVIEW_BINDINGS
    AUTO_FOCUS = "#article"
    HORIZONTAL_BREAKPOINTS = [(0, "-narrow"), (100, "-medium"), (160, "-wide")]

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """No new screens or edits once the app is leaving (a key typed right after q)."""
        return not self.app.leaving

    def __init__(self) -> None:
        super().__init__(id="review")
        self.ai = 0
        self.ci = 0
        self.search_text = ""
        self.ready = False  # mounted: attach() may run
        self._claim_refresh_queued = False
        self._restyle: set[int] = set()  # claim indices of this article to style again
        self._scroll_to_cursor = False
        self._article_queued = False
        self._title_queued = False
        self._source_rows: set[int] = set()  # sources rows to draw again
        self._after_frame: list[Callable[[], object]] = []  # to call once the next update is drawn

    @property
    def capp(self) -> ReviewHost:
        return cast(ReviewHost, self.app)

    @property
    def session(self) -> ReviewSession | None:
        return self.capp.session

    def compose(self) -> ComposeResult:
        # Set up before the children mount, so that the stylesheet is applied to them once (a
        # class or display changed after mounting restyles or lays out the whole screen again):
        # the width class (-narrow ...: a real terminal sends no Resize at start), the titles,
        # the bottom inputs hidden.
        self.set_width_class(self.app.size.width)
        sources = SourcesView(id="sources")
        sources.border_title = "Sources"
        article = ArticleView(id="article")
        article.border_title = "Loading…"
        with Horizontal(id="body"):
            yield sources
            with Vertical(id="work"):
                yield article
                yield EvidencePane(id="evidence")
        for input_id, placeholder in (("note", "Note (enter saves, escape cancels)"),
                                      ("search", "Search claims (enter: next match, escape: close)")):
            field = Input(id=input_id, placeholder=placeholder, classes="bottom-input")
            field.display = False
            yield field
        yield StatusBar(id="status")
        yield KeyBar()

    def set_width_class(self, width: int) -> None:
        """The class of the breakpoint `width` falls in (as Textual's own on a Resize)."""
        current = [name for least, name in self.HORIZONTAL_BREAKPOINTS if width >= least][-1:]
        self.update_classes({name: name in current for _, name in self.HORIZONTAL_BREAKPOINTS}, animate=False)

    def on_resize(self, event: events.Resize) -> None:
        """The claim summary holds the claim's text except at the narrow width (where the article
        pane above it shows that text): described again once Textual's own handler, which runs
        after this one, has set the new width class (`_show_claim` queues it with call_next)."""
        if self.ready and self.session is not None:
            self._show_claim()

    def on_mount(self) -> None:
        self.ready = True
        if self.session is not None:
            self.attach(self.session)
        else:
            self.query_one(EvidencePane).show(None, None)
            self.refresh_status()

    # ------------------------------------------------------------------ wiring

    def attach(self, session: ReviewSession, place: tuple[str, str, int] | None = None) -> None:
        """The session is loaded: show the first unreviewed claim, or, after a reload of a changed
        corpus, the reviewer's `place` (see `place`)."""
        view = self.query_one("#article", ArticleView)
        view.status_of = session.status
        view.suggestion_of = lambda cid: (s.status if (s := session.suggestions.get(cid)) else "")
        view.visible_claim = session.matches
        sources = self.query_one("#sources", SourcesView)
        sources.describe = self._describe_article
        found = session.find_place(*place) if place is not None else None
        first = found or (session.next_unreviewed(0, -1) if session.articles else None)
        self.ai, self.ci = first if first else (0, 0)
        sources.set_rows(session.visible_articles(), self.ai)
        self._show_article()

    def links_loaded(self) -> None:
        """The links file is read: show the current claim's links (until then "Reading the links…")."""
        self.query_one(EvidencePane).forget_links()
        self._show_claim()

    def place(self) -> tuple[str, str, int] | None:
        """Where the reviewer is: (claim id, article id, claim index), to find again in a reloaded
        corpus (`ReviewSession.find_place`)."""
        session = self.session
        if session is None or not session.articles or not 0 <= self.ai < len(session.articles):
            return None
        claim = self.current
        return (claim.id if claim else "", session.articles[self.ai].id, self.ci)

    def _describe_article(self, ai: int) -> tuple[str, str, int, int, str]:
        session = self.session
        assert session is not None
        article = session.articles[ai]
        label, size = session.family(article.id)
        family = f"[{label}]" if size <= 1 else f"[{label}×{size}]"
        outlet = "" if article.title.startswith(article.outlet.rstrip("…")) else article.outlet  # a title label
        outlet = f"{outlet} {date_label(article.published)}".strip()  # the date after the outlet
        return outlet, article.title, session.reviewed[ai], len(session.claims[ai]), family

    @property
    def current(self) -> Claim | None:
        session = self.session
        if session is None or not session.articles:
            return None
        claims = session.claims[self.ai]
        return claims[self.ci] if 0 <= self.ci < len(claims) else None

    def _show_article(self) -> None:
        """Show article `self.ai` (in the same screen update as the evidence pane, after it)."""
        self._article_queued = True
        self._restyle.clear()  # indices of the article shown before
        self._scroll_to_cursor = False
        self._queue_update()

    def _show_article_now(self) -> None:
        session = self.session
        view = self.query_one("#article", ArticleView)
        if session is None or not session.articles:
            view.show(None, ())
            view.border_title = "No articles: run `claimdesk ingest` or `claimdesk review PATH`"
            return
        article = session.articles[self.ai]
        view.show(article, session.claims[self.ai], self.ci)
        self._title_article()
        self.query_one("#sources", SourcesView).set_current(self.ai)

    def _title_article(self) -> None:
        session = self.session
        assert session is not None
        article = session.articles[self.ai]
        view = self.query_one("#article", ArticleView)
        label, size = session.family(article.id)
        view.set_titles(
            f"{article.outlet or article.source} · {self.ai + 1}/{len(session.articles)}",
            f"{session.reviewed[self.ai]}/{len(session.claims[self.ai])} reviewed · family {label}"
            + (f" ({size} articles)" if size > 1 else "")
            + (" · boilerplate shown" if view.show_removed else ""),
        )

    def _show_claim(self, restyle: tuple[int, ...] = ()) -> None:
        """Update the evidence pane, the status bar and the restyled claims of the article."""
        self._restyle.update(restyle)
        self._queue_update()

    def _queue_update(self) -> None:
        """Once per handled key however often asked, update everything that changed in one go,
        the evidence pane first: its layout request then reaches the screen before the other
        panes' repaints do, so the screen draws one frame for the key instead of two or three."""
        if not self._claim_refresh_queued:
            self._claim_refresh_queued = True
            self.call_next(self._show_claim_now)

    def _show_claim_now(self) -> None:
        self._claim_refresh_queued = False
        session = self.session
        claims = session.claims[self.ai] if session and session.articles else []
        self.query_one(EvidencePane).show(session, self.current, self.ci, len(claims))
        self._status_now()
        view = self.query_one("#article", ArticleView)
        if self._article_queued:
            self._article_queued = False
            self._title_queued = False
            self._restyle.clear()
            self._scroll_to_cursor = False
            self._show_article_now()
        if self._restyle:
            view.restyle_claims(tuple(self._restyle))
            self._restyle.clear()
        if self._title_queued:
            self._title_queued = False
            if session is not None and session.articles:
                self._title_article()
        if self._source_rows:
            sources = self.query_one("#sources", SourcesView)
            for ai in self._source_rows:
                sources.refresh_article(ai)
            self._source_rows.clear()
        if self._scroll_to_cursor:
            self._scroll_to_cursor = False
            view.scroll_to_claim(view.cursor)
        if self._after_frame:
            # A widget asks the screen for a repaint when it next goes idle, and runs what it was
            # given with call_next right after: so the status bar (drawn again on every edit: the
            # count or the save state changes) asks for the callbacks after its repaint request,
            # and the screen runs them after the frame that draws it (call_after_refresh).
            callbacks, self._after_frame = self._after_frame, []
            bar = self.query_one(StatusBar)
            for callback in callbacks:
                bar.call_next(self.call_after_refresh, callback)

    def after_frame(self, callback: Callable[[], object]) -> None:
        """Call `callback` once the screen's pending update (or the next one) has been drawn."""
        self._after_frame.append(callback)
        self._queue_update()

    def go(self, ai: int, ci: int) -> None:
        """Move the cursor to claim `ci` of article `ai`. O(claims in the article)."""
        if ai != self.ai:
            self.ai, self.ci = ai, ci
            self._show_article()
        else:
            old, self.ci = self.ci, ci
            self.query_one("#article", ArticleView).cursor = ci
            self._scroll_to_cursor = True
            self._show_claim((old, ci))

    def refresh_status(self) -> None:
        if self._claim_refresh_queued:
            return  # the queued update draws it
        self._status_now()

    def _status_now(self) -> None:
        app = self.capp
        session = self.session
        self.query_one(StatusBar).show(
            reviewer=app.reviewer,
            done=session.reviewed_total if session else 0,
            total=session.total if session else 0,
            db_label=app.db_label,
            saved=self.capp.save_state,
            filter_label=session.filter.label if session and session.filter.kind != "all" else "",
            advance=app.advance,
            activity=session.activity if session else [],
            show_times=app.show_times,
        )

    def judgements_changed(self, claim_id: str | None = None) -> None:
        """Judgements changed (one claim, or all after a reload): restyle what shows them."""
        session = self.session
        if session is None or not session.articles:
            return
        view = self.query_one("#article", ArticleView)
        sources = self.query_one("#sources", SourcesView)
        if claim_id is None:
            view.restyle()
            sources.set_rows(sources.rows, self.ai)
        else:
            pos = session.claim_pos.get(claim_id)
            if pos is not None:
                self._source_rows.add(pos[0])
                self._title_queued = True
                # one claim's mark and style: its paragraph only
                self._show_claim((pos[1],) if pos[0] == self.ai else ())
                return
        self._title_article()
        self._show_claim()

    # ------------------------------------------------------------------ moves

    def action_move(self, direction: int) -> None:
        session = self.session
        if session is None:
            return
        target = session.next_claim(self.ai, self.ci, direction)
        if target is None:
            self.app.bell()
            return
        self.go(*target)

    def action_article(self, direction: int) -> None:
        session = self.session
        if session is None or not session.articles:
            return
        rows = self.query_one("#sources", SourcesView).rows
        if not rows:
            return
        if self.ai in rows:
            i = list(rows).index(self.ai) + direction
        else:
            i = next((k for k, a in enumerate(rows) if a > self.ai), len(rows)) - (direction < 0)
        if not 0 <= i < len(rows):
            self.app.bell()
            return
        ai = rows[i]
        self.go(ai, session.first_in_article(ai))

    def action_unreviewed(self, direction: int) -> None:
        session = self.session
        if session is None:
            return
        target = session.next_unreviewed(self.ai, self.ci, direction)
        if target is None or target == (self.ai, self.ci):
            self.notify("No unreviewed claim left" + (" in this filter" if session.filter.kind != "all" else "") + ".")
            return
        self.go(*target)

    def advance(self) -> None:
        session = self.session
        if session is None or not self.capp.advance:
            return
        target = session.next_unreviewed(self.ai, self.ci, 1)
        if target is None or target == (self.ai, self.ci):
            self.notify("Every claim is reviewed." if session.filter.kind == "all"
                        else "Every claim in this filter is reviewed.")
            return
        self.go(*target)

    @on(ArticleView.ClaimClicked)
    def _clicked_claim(self, event: ArticleView.ClaimClicked) -> None:
        self.go(self.ai, event.index)
        self.query_one("#article", ArticleView).focus()

    @on(SourcesView.ArticleClicked)
    def _clicked_article(self, event: SourcesView.ArticleClicked) -> None:
        session = self.session
        if session is not None:
            self.go(event.article, session.first_in_article(event.article))

    @on(EvidencePane.Jump)
    def _jump(self, event: EvidencePane.Jump) -> None:
        self.jump_to(event.claim_id)

    def jump_to(self, claim_id: str) -> None:
        session = self.session
        if session is None:
            return
        pos = session.claim_pos.get(claim_id)
        if pos is None:
            return
        if session.filter.kind != "all" and not session.filter_counts[pos[0]]:
            self.notify("That claim is outside the filter; showing it anyway.")
        self.go(*pos)
        self.query_one("#article", ArticleView).focus()

    def action_jump(self) -> None:
        claim_id = self.query_one(EvidencePane).selected_link()
        if claim_id:
            self.jump_to(claim_id)
        else:
            self.app.bell()

    # ------------------------------------------------------------------ judging

    def action_tag(self, status: str) -> None:
        claim = self.current
        if claim is None:
            return
        self.capp.apply_edit(claim.id, status=status)
        self.advance()

    def action_accept(self) -> None:
        claim = self.current
        session = self.session
        if claim is None or session is None:
            return
        suggestion = session.suggestions.get(claim.id)
        if suggestion is None or not suggestion.status:
            self.notify("No suggestion for this claim: tag it with c, d or u.", severity="warning")
            return
        self.capp.apply_edit(claim.id, status=suggestion.status)
        self.advance()

    def action_clear(self) -> None:
        claim = self.current
        if claim is not None:
            self.capp.apply_edit(claim.id, status="")

    def action_undo(self) -> None:
        claim_id = self.capp.undo()
        if claim_id:
            self.jump_to(claim_id)
        else:
            self.notify("Nothing to undo.")

    def action_redo(self) -> None:
        claim_id = self.capp.redo()
        if claim_id:
            self.jump_to(claim_id)
        else:
            self.notify("Nothing to redo.")

    def action_toggle_advance(self) -> None:
        self.capp.advance = not self.capp.advance
        self.notify("Auto-advance " + ("on" if self.capp.advance else "off"))
        self.refresh_status()

    # ------------------------------------------------------------------ inputs

    def _open_input(self, name: str, value: str) -> None:
        for widget in self.query(Input):
            widget.display = widget.id == name
        box = self.query_one(f"#{name}", Input)
        box.value = value
        box.cursor_position = len(value)
        box.focus()

    def action_close_inputs(self) -> None:
        for widget in self.query(Input):
            widget.display = False
        self.query_one("#article", ArticleView).focus()

    def action_edit_note(self) -> None:
        claim = self.current
        session = self.session
        if claim is None or session is None:
            return
        self._open_input("note", session.note(claim.id))

    def action_search(self) -> None:
        self._open_input("search", self.search_text)

    @on(Input.Submitted, "#note")
    def _save_note(self, event: Input.Submitted) -> None:
        event.stop()
        claim = self.current
        if claim is not None:
            self.capp.apply_edit(claim.id, note=event.value.strip())
        self.action_close_inputs()

    @on(Input.Submitted, "#search")
    def _search_next(self, event: Input.Submitted) -> None:
        event.stop()
        session = self.session
        self.search_text = event.value
        if session is None or not event.value.strip():
            return
        target = session.search(self.ai, self.ci, event.value)
        if target is None:
            self.notify(f"No claim contains “{event.value.strip()}”.", severity="warning")
            return
        if target == (self.ai, self.ci):
            self.notify("Only match.")
        self.go(*target)
