"""The article pane: one article's cleaned text with every claim marked, drawn line by line.

A `ScrollView` with `render_line` (the Toolong way): the article is laid out once per
(article, width, boilerplate shown) into display lines, each a slice of a styled `Content` per
paragraph; claim styles are re-applied when a judgement or the cursor changes, which costs
O(claims in this article). No widget per claim, no widget per line.

Every claim is preceded by a one-cell mark of this reviewer's judgement (✓ ✗ ? or · when
unjudged) and judged claims are underlined, so statuses never rest on colour alone (NO_COLOR).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, field

from rich.cells import cell_len
from rich.segment import Segment
from rich.style import Style as RichStyle
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style as VisualStyle

from .styles import BorderTitles, CachedLines
from .wrap import one_cell_wide, wrap_offsets

from claimdesk.extract.model import Article, Claim

from ..review_state import symbol


@dataclass
class _Block:
    """A paragraph (or a removed boilerplate piece) as displayed: text with marks inserted."""

    text: str
    kind: str  # "title" | "para" | "removed" | "blank"
    claims: list[tuple[int, int, int]] = field(default_factory=list)  # (start, end, claim index)
    marks: list[tuple[int, int]] = field(default_factory=list)  # (offset, claim index)


@dataclass
class _Line:
    block: int
    start: int
    end: int
    hits: list[tuple[int, int, int]] = field(default_factory=list)  # (x0, x1, claim index)


class ArticleView(BorderTitles, CachedLines, ScrollView, can_focus=True, inherit_bindings=False):
    """Cleaned text of one article, claims highlighted; the current claim emphasised.

    Arrow keys belong to the screen (claim moves); the pane itself only pages."""

    BINDINGS = [
        Binding("pageup", "page_up", "Page up", show=False),
        Binding("pagedown,space", "page_down", "Page down", show=False),
        Binding("home", "scroll_home", "Top", show=False),
        Binding("end", "scroll_end", "Bottom", show=False),
    ]

    COMPONENT_CLASSES = {
        "article--title",
        "article--removed",
        "article--current",
        "article--corroborated",
        "article--disputed",
        "article--unsourced",
        "article--unjudged",
        "article--suggest-corroborated",
        "article--suggest-disputed",
        "article--suggest-unsourced",
        "article--filtered-out",
    }

    class ClaimClicked(Message):
        def __init__(self, index: int) -> None:
            super().__init__()
            self.index = index

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.article: Article | None = None
        self.claims: Sequence[Claim] = ()
        self.cursor = 0
        self.show_removed = False
        self.status_of: Callable[[str], str] = lambda cid: ""
        self.suggestion_of: Callable[[str], str] = lambda cid: ""
        self.visible_claim: Callable[[Claim], bool] = lambda c: True
        self._blocks: list[_Block] = []
        self._lines: list[_Line] = []
        self._claim_lines: dict[int, tuple[int, int]] = {}
        self._claim_block: dict[int, int] = {}  # claim index -> block
        self._block_lines: dict[int, tuple[int, int]] = {}  # block -> (first, last) display line
        self._layout_key: tuple = ()
        self.styled: dict[int, Content] = {}
        self.strips: dict[int, tuple[int, RichStyle, Strip]] = {}  # line -> (width, base style, strip)
        self._base: RichStyle | None = None
        self._visual: VisualStyle | None = None

    # ------------------------------------------------------------------ public

    def show(self, article: Article | None, claims: Sequence[Claim], cursor: int = 0) -> None:
        """Show another article (lays it out again)."""
        self.article = article
        self.claims = claims
        self.cursor = cursor
        self._layout_key = ()
        self._relayout()
        self.scroll_to(y=0, animate=False, immediate=True)
        self.scroll_to_claim(cursor)

    def move_to(self, cursor: int) -> None:
        """Move the emphasis to another claim of this article: restyles the two paragraphs."""
        old = self.cursor
        self.cursor = cursor
        self.restyle_claims((old, cursor))
        self.scroll_to_claim(cursor)

    def restyle_claims(self, indices: Sequence[int]) -> None:
        """Only these claims (by index) changed look: style their paragraphs again and repaint
        just the lines they are on, so a move or a tag does not re-render the whole pane."""
        if not self._layout_key:
            self.restyle()
            return
        for ci in set(indices):
            bi = self._claim_block.get(ci)
            span = self._claim_lines.get(ci)
            if bi is None or span is None:
                continue
            self.styled.pop(bi, None)
            # a claim's style covers its mark to its end: only the lines it is on look different
            first, last = span
            for y in range(first, last + 1):
                self.strips.pop(y, None)
            self.refresh_lines(first, last - first + 1)

    def restyle(self) -> None:
        """Judgements or the cursor changed: styles again, layout kept."""
        self.styled.clear()
        self.strips.clear()
        self.refresh()

    def toggle_removed(self) -> bool:
        self.show_removed = not self.show_removed
        self._layout_key = ()
        self._relayout()
        self.scroll_to_claim(self.cursor)
        return self.show_removed

    def scroll_to_claim(self, index: int) -> None:
        span = self._claim_lines.get(index)
        if span is None:
            return
        first, last = span
        height = max(1, self.scrollable_content_region.height)
        top = self.scroll_offset.y
        if first >= top and last < top + height:
            return
        # below the pane: it goes to the top (a line of context above it), so the text after it
        # shows and moving on scrolls again only a pane later (a scroll redraws the whole pane);
        # above the pane: it goes to the bottom, for the same reason going back
        if first < top and last - first + 1 < height:
            target = last - height + 2
        else:
            target = first - 1
        self.scroll_to(y=max(0, target), animate=False, immediate=True)

    def lines_text(self) -> list[str]:
        """The display lines as plain text (for tests and debugging)."""
        return [self._blocks[ln.block].text[ln.start:ln.end] for ln in self._lines]

    # ------------------------------------------------------------------ layout

    def _build_blocks(self) -> list[_Block]:
        article = self.article
        if article is None:
            return [_Block("No article.", "para")]
        text = article.text
        claims = self.claims
        removed = sorted(article.removed, key=lambda r: r.offset) if self.show_removed else []
        blocks: list[_Block] = []
        ri = 0
        ci = 0
        pos = 0
        paragraphs = text.split("\n")
        for pi, para in enumerate(paragraphs):
            p0, p1 = pos, pos + len(para)
            pos = p1 + 1
            while ri < len(removed) and removed[ri].offset <= p0:
                blocks.append(_removed_block(removed[ri]))
                ri += 1
            block = _Block("", "title" if pi == 0 else "para")
            parts: list[str] = []
            out = 0
            cursor = p0
            while ci < len(claims) and claims[ci].start < p1:
                c = claims[ci]
                if c.start < cursor:  # overlapping claim: mark it where the text allows
                    s = cursor
                else:
                    s = c.start
                parts.append(text[cursor:s])
                out += s - cursor
                block.marks.append((out, ci))
                parts.append("  ")
                out += 2
                e = min(max(c.end, s), p1)
                parts.append(text[s:e])
                block.claims.append((out, out + (e - s), ci))
                out += e - s
                cursor = e
                ci += 1
            parts.append(text[cursor:p1])
            block.text = "".join(parts)
            if blocks and blocks[-1].kind != "blank":
                blocks.append(_Block("", "blank"))
            blocks.append(block)
        while ri < len(removed):
            blocks.append(_removed_block(removed[ri]))
            ri += 1
        return blocks

    def _relayout(self) -> None:
        width = self.scrollable_content_region.width or self.size.width or 80
        key = (id(self.article), len(self.claims), width, self.show_removed)
        if key == self._layout_key:
            return
        self._layout_key = key
        self._blocks = self._build_blocks()
        lines: list[_Line] = []
        claim_lines: dict[int, tuple[int, int]] = {}
        self._claim_block = {ci: bi for bi, block in enumerate(self._blocks) for _s, _e, ci in block.claims}
        block_lines: dict[int, tuple[int, int]] = {}
        for bi, block in enumerate(self._blocks):
            block_first = len(lines)
            text = block.text
            narrow = one_cell_wide(text)
            for a, b in wrap_offsets(text, width):
                line = _Line(bi, a, b)
                y = len(lines)
                for s, e, ci in block.claims:  # in text order
                    ms = s - 2  # the mark belongs to the claim
                    if ms >= b:
                        break
                    if e > a:
                        if narrow:  # one cell a character: offsets are columns
                            x0, x1 = max(a, ms) - a, min(b, e) - a
                        else:
                            x0 = cell_len(text[a:max(a, ms)])
                            x1 = cell_len(text[a:min(b, e)])
                        line.hits.append((x0, x1, ci))
                        first, _last = claim_lines.get(ci, (y, y))
                        claim_lines[ci] = (first, y)
                lines.append(line)
            block_lines[bi] = (block_first, len(lines) - 1)
        self._lines = lines
        self._claim_lines = claim_lines
        self._block_lines = block_lines
        self.styled.clear()
        self.strips.clear()
        self._set_length(Size(width, len(lines)))
        self.refresh()

    def _set_length(self, size: Size) -> None:
        """Set the scrollable size. Setting `virtual_size` lays the whole screen out again (two
        frames: Textual repaints scrollbars in a second one); when the pane's size and whether it
        shows a scrollbar stay the same, the new length needs no layout: the value is set without
        its watcher (`set_reactive`) and the scrollbar is told its new proportions."""
        old = self.virtual_size
        height = self.scrollable_content_region.height
        bar = self.show_vertical_scrollbar
        if not self.is_mounted or old.width != size.width or height <= 0 or bar != (size.height > height):
            self.virtual_size = size
            return
        self.set_reactive(ScrollView.virtual_size, size)
        if bar:
            scrollbar = self.vertical_scrollbar
            scrollbar.window_virtual_size = size.height
            scrollbar.window_size = height

    def on_resize(self, event: events.Resize) -> None:
        self._relayout()
        self.scroll_to_claim(self.cursor)

    # ------------------------------------------------------------------ styling

    def _claim_style_name(self, claim: Claim) -> str:
        status = self.status_of(claim.id)
        if status:
            return f"article--{status}"
        suggested = self.suggestion_of(claim.id)
        return f"article--suggest-{suggested}" if suggested else "article--unjudged"

    def _block_content(self, bi: int) -> Content:
        content = self.styled.get(bi)
        if content is not None:
            return content
        block = self._blocks[bi]
        text = block.text
        if block.marks:
            chars = list(text)
            for off, ci in block.marks:
                chars[off] = symbol(self.status_of(self.claims[ci].id))
            text = "".join(chars)
        content = Content(text, strip_control_codes=False)
        style = self.component
        if block.kind == "title":
            content = content.stylize(style("article--title"))
        elif block.kind == "removed":
            content = content.stylize(style("article--removed"))
        marks = {ci: off for off, ci in block.marks}
        for _s, e, ci in block.claims:
            claim = self.claims[ci]
            mark = marks[ci]
            if not self.visible_claim(claim):
                content = content.stylize(style("article--filtered-out"), mark, e)
                if ci != self.cursor:
                    continue
            content = content.stylize(style(self._claim_style_name(claim)), mark, e)
            if ci == self.cursor:
                content = content.stylize(style("article--current"), mark, e)
        self.styled[bi] = content
        return content

    def render_line(self, y: int) -> Strip:
        index = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        base = self._base
        if base is None:
            base = self._base = self.rich_style
        if index >= len(self._lines):
            return Strip.blank(width, base)
        cached = self.strips.get(index)
        if cached is not None and cached[0] == width and cached[1] == base:
            return cached[2]
        line = self._lines[index]
        content = self._block_content(line.block)[line.start:line.end]
        if self._visual is None:
            self._visual = self.get_visual_style()
        segments = content.render_segments(self._visual)
        cells = content.cell_length
        if cells <= width:  # what Strip.crop_extend(0, width, base) gives, in one Strip not three
            if cells < width:
                segments.append(Segment(" " * (width - cells), base))
            strip = Strip(segments, width)
        else:
            strip = Strip(segments, cells).crop_extend(0, width, base)
        self.strips[index] = (width, base, strip)
        return strip

    def render_lines(self, crop: Region) -> list[Strip]:
        self._relayout()
        # the widget's styles are worked out on the first line drawn, once for all the lines drawn
        # now (Textual asks for every line in each frame that touches the pane, and draws only
        # the ones it has not kept)
        self._base = self._visual = None
        try:
            return super().render_lines(crop)
        finally:
            self._base = self._visual = None

    # ------------------------------------------------------------------ mouse

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        y = offset.y + self.scroll_offset.y
        if not 0 <= y < len(self._lines):
            return
        for x0, x1, ci in self._lines[y].hits:
            if x0 <= offset.x < max(x1, x0 + 1):
                self.post_message(self.ClaimClicked(ci))
                return


def _removed_block(removed) -> _Block:
    text = " ".join(removed.text.split())
    return _Block(f"⌫ removed ({removed.reason}): {text}", "removed")

