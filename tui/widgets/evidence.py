"""The evidence pane: the current claim, what the linker found for it, and what others said.

Top: the claim (kind, attribution, suggestion and its reason, this reviewer's judgement and
note, other reviewers' statuses). Below: an OptionList of supporting and conflicting claims
from other articles, each with its outlet; values that differ from the current claim's are
emphasised (bold, reverse: visible without colour). Enter (or a click) jumps to one.
"""

from __future__ import annotations

from textual import events
from textual.containers import Vertical
from textual.content import Content
from textual.css.styles import RulesMap
from textual.geometry import Size
from textual.message import Message
from textual.visual import Visual
from textual.widgets import OptionList, Static
from textual.widgets.option_list import Option

from claimdesk.extract.model import Claim, Link

from ..screens.session import ReviewSession, symbol
from .styles import SteadyScrollbars, set_border_titles
from .wrap import line_count

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


def _height(visual: Visual, rules: RulesMap, width: int) -> int:
    """`visual.get_height(rules, width)`: for Content, the number of lines rich's `divide_line`
    breaks each of its lines into, which is how Content wraps (without building the lines)."""
    if not isinstance(visual, Content):
        return visual.get_height(rules, width)
    text = visual.plain
    get_rule = rules.get
    if "\t" in text or text.startswith("\n") or get_rule("text_wrap", "wrap") == "nowrap":
        return visual.get_height(rules, width)
    width -= get_rule("line_pad", 0) * 2
    fold = get_rule("text_overflow", "fold") == "fold"
    return sum(line_count(line, width, fold) for line in text.split("\n"))


class Links(SteadyScrollbars, OptionList):
    """The linked claims: an OptionList whose scrollbars repaint only when its sizes change, and
    whose new options ask for no layout pass (its size is set by the CSS, not by its content)."""

    def _update_lines(self) -> None:
        """OptionList's own, with the virtual size set by `set_virtual_size` (no layout pass:
        a new claim's links are drawn in the frame that draws the claim). OptionList calls it
        for every line it draws: when every option is measured already and the sizes it depends
        on are the same, there is nothing to do. If the new size makes the scrollbar come or go,
        the options are measured again at the new width now (not after a Resize, a frame later,
        drawn first at the old width)."""
        lines = self._line_cache.lines
        if lines and self._measure_key() == self._measured:
            return
        if not self.scrollable_content_region:
            return
        width = self._measure_options()
        if self._content_width() != width:  # a scrollbar came or went
            self._option_render_cache.clear()
            self._line_cache.clear()
            self._measure_options()
        self._laid_out_width = self.scrollable_content_region.width
        self._measured = self._measure_key()

    def _measure_key(self) -> tuple:
        return (len(self._line_cache.lines), len(self.options), self._size, self.show_vertical_scrollbar,
                self.show_horizontal_scrollbar)

    def _content_width(self) -> int:
        return self.scrollable_content_region.width - self._get_left_gutter_width()

    def _measure_options(self) -> int:
        """Measure the options not measured yet; set the virtual size. Returns the width used."""
        line_cache = self._line_cache
        lines = line_cache.lines
        next_index = lines[-1][0] + 1 if lines else 0
        get_visual = self._get_visual
        width = self._content_width()
        if next_index < len(self.options):
            padding = self.get_component_styles("option-list--option").padding
            for index, option in enumerate(self.options[next_index:], next_index):
                line_cache.index_to_line[index] = len(line_cache.lines)
                line_count = _height(get_visual(option), self.styles, width - padding.width) + option._divider
                line_cache.heights[index] = line_count
                line_cache.lines.extend([(index, line_no) for line_no in range(0, line_count)])
        last_divider = self.options and self.options[-1]._divider
        self.set_virtual_size(Size(width, len(lines) - (1 if last_divider else 0)))
        return width

    def _on_resize(self, event: events.Resize) -> None:
        """The wrapped options depend on the width only: a new height (the claim summary above
        grew or shrank) keeps them, and the layout pass that resized the list has drawn it."""
        event.prevent_default()  # not OptionList's handler, which drops them and repaints again
        width = self.scrollable_content_region.width
        if width != self._laid_out_width:
            self._laid_out_width = width
            self._clear_caches()

    _laid_out_width = -1
    _measured: tuple = ()


class ClaimInfo(Static):
    """The claim summary: a Static whose new height needs one layout pass, not two."""

    def _size_updated(self, size, virtual_size, container_size, layout: bool = True) -> bool:  # type: ignore[override]
        # Not scrollable: its virtual size moves nothing else, so setting it need not ask for
        # another layout pass (Widget's default does, costing a second frame after each move).
        return super()._size_updated(size, virtual_size, container_size, layout=False)


def _update_info(info: Static, content: Content) -> None:
    """Replace the claim summary; the screen is laid out again only when its height changes
    (a layout pass re-renders most of the screen: most moves keep the height)."""
    width = info.content_size.width
    old = info.visual
    same_height = (
        width > 0
        and isinstance(old, Content)
        and _height(old, info.styles, width) == _height(content, info.styles, width)
    )
    info.update(content, layout=not same_height)


class EvidencePane(Vertical):
    class Jump(Message):
        def __init__(self, claim_id: str) -> None:
            super().__init__()
            self.claim_id = claim_id

    _shown: str | None = None

    def compose(self):
        yield ClaimInfo(id="claim-info")
        yield Links(id="links")

    def on_mount(self) -> None:
        self.border_title = "Evidence"

    def show(self, session: ReviewSession | None, claim: Claim | None, index: int = 0, count: int = 0) -> None:
        info = self.query_one("#claim-info", Static)
        links = self.query_one("#links", OptionList)
        if session is None or claim is None:
            links.clear_options()
            self._shown = None
            info.update("No claim here." if session is not None else "Loading…")
            return
        _update_info(info, self._describe(session, claim, index, count))
        if self._shown == claim.id:  # same claim, judgements changed: the links stay as they are
            return
        self._shown = claim.id
        options: list[Option] = []
        all_links = session.links_of(claim.id)
        ordered = sorted(all_links, key=lambda l: (l.relation != "conflicts", -l.score))[:MAX_LINKS]
        for link in ordered:
            other = session.claim(link.other_id)
            if other is None:
                continue
            options.append(Option(self._link_prompt(session, claim, link, other), id=link.other_id))
        if options:
            spaced: list[Option | None] = []
            for option in options:  # a rule between linked claims
                spaced += [option, None]
            links.set_options(spaced[:-1])  # one relayout of the list, not two (clear, then add)
            links.highlighted = 0
            shown = f"{len(options)} of {len(all_links)}" if len(all_links) > len(options) else f"{len(options)}"
            self._subtitle(f"{shown} linked · enter jumps")
        else:
            links.set_options([Option(Content.styled("No supporting or conflicting claim in other articles.", DIM),
                                      disabled=True)])
            self._subtitle("no links")

    def _subtitle(self, text: str) -> None:
        """Set the border subtitle; if it changed, its border row is drawn again (not the pane)."""
        set_border_titles(self, subtitle=text)

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
            (f" {article.published}" if article.published else "", DIM),
            "\n",
        )
        body = emphasise(other, claim)
        tail = Content.styled(f"\n{link.reason}", DIM) if link.reason else Content("")
        return head + body + tail

    def on_option_list_option_selected(self, event: OptionList.OptionSelected) -> None:
        event.stop()
        if event.option.id:
            self.post_message(self.Jump(event.option.id))

    def selected_link(self) -> str | None:
        links = self.query_one("#links", OptionList)
        option = links.highlighted_option
        return option.id if option is not None and not option.disabled else None
