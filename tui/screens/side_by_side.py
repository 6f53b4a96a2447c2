"""Two articles side by side, their linked claims on the same row (= supports, ≠ conflicts).

Rows follow the left article's claim order; a right-hand claim sits beside the left claim it is
linked to; right-hand claims linked to nothing on the left follow at the end. One row widget per
claim of ONE article pair (tens, not thousands).
"""

from __future__ import annotations

from textual.app import ComposeResult
from textual.binding import Binding
from textual.containers import Horizontal, VerticalScroll
from textual.content import Content
from textual.screen import Screen
from textual.widgets import Static

from claimdesk.extract.model import Claim

from ..widgets.evidence import emphasise
from ..widgets.key_bar import KeyBar
from ..review_state import ReviewSession, symbol


def aligned_rows(session: ReviewSession, left: int, right: int) -> list[tuple[Claim | None, str, list[Claim]]]:
    """(left claim or None, relation mark, right claims) rows for articles `left` and `right`."""
    right_ids = {c.id for c in session.claims[right]}
    used: set[str] = set()
    rows: list[tuple[Claim | None, str, list[Claim]]] = []
    for claim in session.claims[left]:
        partners: list[Claim] = []
        relations: set[str] = set()
        for link in session.links_of(claim.id):
            if link.other_id in right_ids and link.other_id not in used:
                other = session.claim(link.other_id)
                if other is not None:
                    partners.append(other)
                    used.add(other.id)
                    relations.add(link.relation)
        mark = "≠" if "conflicts" in relations else "=" if relations else ""
        rows.append((claim, mark, sorted(partners, key=lambda c: c.start)))
    for claim in session.claims[right]:
        if claim.id not in used:
            rows.append((None, "", [claim]))
    return rows


def _short(text: str, limit: int = 90) -> str:
    return text if len(text) <= limit else text[: limit - 1].rstrip() + "…"


class SideBySideScreen(Screen[None]):
    BINDINGS = [
        Binding("escape,s,q", "app.pop_screen", "Back", id="sbs-back"),
        Binding("tab,right_square_bracket", "partner(1)", "Next linked article", id="sbs-next"),
        Binding("shift+tab,left_square_bracket", "partner(-1)", "Previous linked article", id="sbs-prev"),
        Binding("j,down", "scroll(1)", "Down", show=False, id="sbs-down"),
        Binding("k,up", "scroll(-1)", "Up", show=False, id="sbs-up"),
    ]

    def __init__(self, session: ReviewSession, left: int, partners: list[int], first: int = 0) -> None:
        super().__init__(id="side-by-side")
        self.session = session
        self.left = left
        self.partners = partners
        self.index = first

    def compose(self) -> ComposeResult:
        with Horizontal(id="sbs-head"):
            yield Static(id="sbs-left-title", classes="left")
            yield Static(" ", classes="rel")
            yield Static(id="sbs-right-title", classes="right")
        yield VerticalScroll(id="sbs-rows")
        yield KeyBar()

    async def on_mount(self) -> None:
        await self._fill()

    async def _fill(self) -> None:
        session = self.session
        right = self.partners[self.index]
        la, ra = session.articles[self.left], session.articles[right]
        self.query_one("#sbs-left-title", Static).update(
            Content.assemble((la.outlet or la.source, "bold underline"), f"  {_short(la.title)}"))
        self.query_one("#sbs-right-title", Static).update(
            Content.assemble((ra.outlet or ra.source, "bold underline"), f"  {_short(ra.title)}",
                             f"  ({self.index + 1}/{len(self.partners)} linked)"))
        rows = self.query_one("#sbs-rows", VerticalScroll)
        await rows.remove_children()
        widgets = []
        linked = 0
        for left_claim, mark, rights in aligned_rows(session, self.left, right):
            linked += bool(mark)
            left_text = self._claim(left_claim, rights[0] if rights and mark else None)
            right_text = Content("\n").join(
                self._claim(c, left_claim if mark else None) for c in rights) if rights else Content("")
            row = Horizontal(
                Static(left_text, classes="left"),
                Static(Content.styled(mark, "bold") if mark else Content(""), classes="rel"),
                Static(right_text, classes="right"),
                classes="pair" + (" linked" if mark else ""),
            )
            widgets.append(row)
        await rows.mount_all(widgets)
        self.sub_title = f"{linked} linked claim(s)"

    def _claim(self, claim: Claim | None, against: Claim | None) -> Content:
        if claim is None:
            return Content("")
        status = self.session.status(claim.id)
        mark = Content.styled(f"{symbol(status)} ", "bold underline" if status else "dim")
        return mark + emphasise(claim, against)

    async def action_partner(self, step: int) -> None:
        self.index = (self.index + step) % len(self.partners)
        await self._fill()

    def action_scroll(self, step: int) -> None:
        rows = self.query_one("#sbs-rows", VerticalScroll)
        rows.scroll_relative(y=step * 3, animate=False)
