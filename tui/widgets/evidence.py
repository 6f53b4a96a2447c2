"""The evidence pane: the current claim, what the linker found for it, and what others said.

Top: the claim (kind, attribution, suggestion and its reason, this reviewer's judgement and
note, other reviewers' statuses). Below: a LinkList of supporting and conflicting claims
from other articles, each with its outlet; values that differ from the current claim's are
emphasised (bold, reverse: visible without colour). Enter (or a click) jumps to one.
"""

from __future__ import annotations

from textual.containers import Vertical
from textual.content import Content
from textual.message import Message
from textual.visual import Visual
from textual.widgets import Static

from claimdesk.extract.model import Claim, Link
from claimdesk.tui.date_label import date_label

from ..review_state import ReviewSession, symbol
from .link_list import LinkList
from .styles import BorderTitles

MAX_LINKS = 10  # conflicts first, then the best-scored supports
DIFFER = "bold reverse"
SAME = "bold"
DIM = "dim"


def _values(claim: Claim) -> set[str]:
    vals: set[str] = set()
    for q in claim.quantities:
        vals.add(f"q{q.value:g}")
        if q.high is not None:
            vals.add(f"q{q.high:g}")
    for d in claim.dates:
        if d.value:
            vals.add(f"d{d.value}")
    return vals


def emphasise(claim: Claim, against: Claim | None) -> Content:
    """The claim's text with its numbers and dates in bold; reverse too where `against` has values
    of the same sort (numbers, dates) and none of them equals this one: the differing values."""
    content = Content(claim.text, strip_control_codes=False)
    other = _values(against) if against is not None else set()
    spans: list[tuple[int, int, set[str], str]] = []
    for q in claim.quantities:
        keys = {f"q{q.value:g}"} | ({f"q{q.high:g}"} if q.high is not None else set())
        spans.append((q.start, q.end, keys, "q"))
    for d in claim.dates:
        spans.append((d.start, d.end, {f"d{d.value}"} if d.value else set(), "d"))
    for start, end, keys, sort in spans:
        s, e = start - claim.start, end - claim.start
        if not (0 <= s < e <= len(claim.text)):
            continue
        comparable = any(v.startswith(sort) for v in other)
        differs = comparable and bool(keys) and not (keys & other)
        content = content.stylize(DIFFER if differs else SAME, s, e)
    return content


def fit_lines(content: Content, width: int, height: int) -> Content:
    """`content` wrapped to `width`; if it takes more than `height` lines, the first `height`
    with the last one ending in "…" at a word boundary, so a cut never looks like the end."""
    if width < 2 or height < 1:
        return content
    lines = content.wrap(width)
    if len(lines) <= height:
        return content
    last = lines[height - 1].rstrip()
    room = width - 2  # " …"
    if last.cell_length > room:
        cut = last.plain.rfind(" ", 0, room + 1)
        last = last[:cut] if cut > 0 else last.truncate(room)
    return Content("\n").join([*lines[: height - 1], last.rstrip() + Content(" …")])


class ClaimInfo(Static):
    """The claim summary. Its height is capped by the CSS (max-height): when the text is longer,
    the last line shown ends in "…" instead of being cut silently mid-phrase."""

    def render(self) -> Visual:  # type: ignore[override]
        visual = self.visual
        width, height = self.content_size
        if isinstance(visual, Content):
            return fit_lines(visual, width, height)
        return visual


def _update_info(info: Static, content: Content) -> None:
    """Replace the claim summary; the screen is laid out again only when its height changes
    (never when the CSS sets its height)."""
    height = info.styles.height
    if height is not None and not height.is_auto:
        info.update(content, layout=False)
        return
    width = info.content_size.width
    old = info.visual
    same_height = (
        width > 0
        and isinstance(old, Content)
        and old.get_height(info.styles, width) == content.get_height(info.styles, width)
    )
    info.update(content, layout=not same_height)


class EvidencePane(BorderTitles, Vertical):
    class Jump(Message):
        def __init__(self, claim_id: str) -> None:
            super().__init__()
            self.claim_id = claim_id

    _shown: str | None = None

    def compose(self):
        yield ClaimInfo(id="claim-info")
        yield LinkList(id="links")

    def on_mount(self) -> None:
        self.border_title = "Evidence"

    def show(self, session: ReviewSession | None, claim: Claim | None, index: int = 0, count: int = 0) -> None:
        info = self.query_one("#claim-info", Static)
        links = self.query_one("#links", LinkList)
        if session is None or claim is None:
            links.set_items([])
            self._shown = None
            info.update("No claim here." if session is not None else "Loading…")
            return
        _update_info(info, self._describe(session, claim, index, count))
        if self._shown == claim.id:  # same claim, judgements changed: the links stay as they are
            return
        if not session.links_ready:  # read just after the first screen: shown when they are
            links.set_items([(None, Content.styled("Reading the links…", DIM))])
            self._shown = None
            self._subtitle("reading links")
            return
        self._shown = claim.id
        items: list[tuple[str | None, Content]] = []
        all_links = session.links_of(claim.id)
        ordered = sorted(all_links, key=lambda l: (l.relation != "conflicts", -l.score))[:MAX_LINKS]
        for link in ordered:
            other = session.claim(link.other_id)
            if other is not None:
                items.append((link.other_id, self._link_prompt(session, claim, link, other)))
        if items:
            links.set_items(items)
            shown = f"{len(items)} of {len(all_links)}" if len(all_links) > len(items) else f"{len(items)}"
            self._subtitle(f"{shown} linked · enter jumps")
        else:
            links.set_items([(None, Content.styled("No supporting or conflicting claim in other articles.", DIM))])
            self._subtitle("no links")

    def forget_links(self) -> None:
        """Build the links list again at the next `show`, even for the same claim."""
        self._shown = None

    def _subtitle(self, text: str) -> None:
        self.set_titles("Evidence", text)  # assigned only when it changed

    def _describe(self, session: ReviewSession, claim: Claim, index: int, count: int) -> Content:
        parts: list[Content | str | tuple[str, str]] = []
        parts.append((f"Claim {index + 1}/{count}", "bold"))
        parts.append(f"  {claim.kind}")
        attribution = claim.attribution
        if attribution.kind != "none":
            parts.append(f" · {attribution.kind}: {attribution.name}")
            if attribution.cue:
                parts.append((f" (“{attribution.cue}”)", DIM))
        else:
            parts.append((" · no attribution", DIM))
        parts.append("\n")
        if not self.screen.has_class("-narrow"):  # narrow: the article pane shows it already
            parts.append(emphasise(claim, None))
            parts.append("\n")
        # mine and the others' first: on a short terminal the suggestion's reason is what gets cut
        mine = session.status(claim.id)
        parts.append("You: ")
        parts.append((f"{symbol(mine)} {mine}" if mine else "· not judged", "bold underline" if mine else ""))
        note = session.note(claim.id)
        if note:
            parts.append(f" · note: {note}")
        others = session.other_statuses(claim.id)
        if others:
            parts.append(" · others: ")
            parts.append(", ".join(f"{r} {symbol(s)} {s}" for r, s in sorted(others.items())))
        parts.append("\n")
        suggestion = session.suggestions.get(claim.id)
        if suggestion is not None and suggestion.status:
            parts.append(f"Suggested: {symbol(suggestion.status)} {suggestion.status}")
        else:
            parts.append("Suggested: none")
        if suggestion is not None and suggestion.reason:
            parts.append((f" — {suggestion.reason}", DIM))
        return Content.assemble(*parts)

    def _link_prompt(self, session: ReviewSession, claim: Claim, link: Link, other: Claim) -> Content:
        article = session.article_of(other)
        sign = "≠ conflicts" if link.relation == "conflicts" else "= supports"
        head = Content.assemble(
            (sign, "bold"),
            "  ",
            (article.outlet or article.source, "underline"),
            (f" {date_label(article.published)}" if article.published else "", DIM),
            "\n",
        )
        body = emphasise(other, claim)
        tail = Content.styled(f"\n{link.reason}", DIM) if link.reason else Content("")
        return head + body + tail

    def on_link_list_selected(self, event: LinkList.Selected) -> None:
        event.stop()
        self.post_message(self.Jump(event.item_id))

    def selected_link(self) -> str | None:
        return self.query_one("#links", LinkList).highlighted_id()
