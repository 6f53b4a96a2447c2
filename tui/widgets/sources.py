"""The sources pane: one line per article (outlet, title, reviewed/total, source family).

A `ScrollView` drawing only the visible rows, so 2,000 articles cost nothing to show and a tag
re-renders one row (not the list, as replacing an OptionList prompt would).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence

from rich.cells import cell_len
from rich.style import Style as RichStyle
from textual import events
from textual.content import Content
from textual.geometry import Region, Size
from textual.message import Message
from textual.scroll_view import ScrollView
from textual.strip import Strip
from textual.style import Style as VisualStyle

from .styles import CachedLines


class SourcesView(CachedLines, ScrollView, can_focus=False, inherit_bindings=False):
    COMPONENT_CLASSES = {
        "sources--current",
        "sources--done",
        "sources--partial",
        "sources--todo",
        "sources--family",
        "sources--counts",
    }

    class ArticleClicked(Message):
        def __init__(self, article: int) -> None:
            super().__init__()
            self.article = article

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.rows: Sequence[int] = ()
        self.current = -1
        self.describe: Callable[[int], tuple[str, str, int, int, str]] = lambda ai: ("", "", 0, 0, "")
        self.strips: dict[int, tuple[int, RichStyle, Strip]] = {}  # row -> (width, base style, strip)
        self._base: RichStyle | None = None
        self._visual: VisualStyle | None = None
        self._row_of: dict[int, int] = {}

    def set_rows(self, rows: Sequence[int], current: int) -> None:
        self.rows = rows
        self._row_of = {ai: y for y, ai in enumerate(rows)}
        self.current = current
        self.strips.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(rows))
        self.refresh()
        self.scroll_to_current()

    def set_current(self, ai: int) -> None:
        old = self.current
        self.current = ai
        self.refresh_article(old)
        self.refresh_article(ai)
        self.scroll_to_current()

    def refresh_article(self, ai: int) -> None:
        y = self._row_of.get(ai)
        if y is not None:
            self.strips.pop(y, None)
            self.refresh_line(y)  # ScrollView.refresh_line takes the row in the list (it subtracts the scroll)

    def scroll_to_current(self) -> None:
        y = self._row_of.get(self.current)
        if y is None:
            return
        height = max(1, self.scrollable_content_region.height)
        top = self.scroll_offset.y
        # out of view: scroll half a page past it, so the articles next to it show too and the
        # pane (redrawn whole by a scroll) scrolls once every few articles, not at every one
        if y < top:
            self.scroll_to(y=max(0, y - height // 2), animate=False, immediate=True)
        elif y >= top + height:
            self.scroll_to(y=y - height + 1 + height // 2, animate=False, immediate=True)

    def on_resize(self, event: events.Resize) -> None:
        self.strips.clear()
        self.virtual_size = Size(self.scrollable_content_region.width, len(self.rows))
        self.scroll_to_current()

    def render_lines(self, crop: Region) -> list[Strip]:
        self._base = self._visual = None  # worked out on the first line drawn, once for all drawn now
        try:
            return super().render_lines(crop)
        finally:
            self._base = self._visual = None

    def render_line(self, y: int) -> Strip:
        row = y + self.scroll_offset.y
        width = self.scrollable_content_region.width
        base = self._base
        if base is None:
            base = self._base = self.rich_style
        if row >= len(self.rows):
            return Strip.blank(width, base)
        cached = self.strips.get(row)
        if cached is not None and cached[0] == width and cached[1] == base:
            return cached[2]
        strip = self._render_row(self.rows[row], width).crop_extend(0, width, base)
        self.strips[row] = (width, base, strip)
        return strip

    def _render_row(self, ai: int, width: int) -> Strip:
        outlet, title, done, total, family = self.describe(ai)
        style = self.component
        state = "done" if total and done >= total else "partial" if done else "todo"
        mark = {"done": "●", "partial": "◐", "todo": "○"}[state]
        counts = f"{done}/{total}"
        tail = f" {family}"
        head = f"{mark} "
        room = max(0, width - cell_len(head) - cell_len(counts) - cell_len(tail) - 1)
        body = f"{outlet} · {title}" if outlet else title
        body = _truncate(body, room)
        pad = " " * max(0, room - cell_len(body))
        content = Content.assemble(
            (head, style(f"sources--{state}")),
            body,
            pad,
            " ",
            (counts, style("sources--counts")),
            (tail, style("sources--family")),
        )
        if ai == self.current:
            content = content.stylize(style("sources--current"))
        visual = self._visual
        if visual is None:
            visual = self._visual = self.get_visual_style()
        segments = content.render_segments(visual)
        return Strip(segments, content.cell_length).apply_meta({"article": ai})

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = offset.y + self.scroll_offset.y
        if 0 <= row < len(self.rows):
            self.post_message(self.ArticleClicked(self.rows[row]))


def _truncate(text: str, width: int) -> str:
    if cell_len(text) <= width:
        return text
    if width <= 1:
        return "…"[:width]
    out = []
    used = 0
    for ch in text:
        w = cell_len(ch)
        if used + w > width - 1:
            break
        out.append(ch)
        used += w
    return "".join(out) + "…"
