"""The evidence pane's list of linked claims, drawn line by line (Textual's Line API).

Not a ScrollView (nor an OptionList): it draws what fits in the room the CSS gives it, so a new
claim's links change no size and showing them costs a repaint, not a layout pass of the screen.
Items are wrapped at the width they are drawn at (a resize wraps them again), a rule between
two; the highlighted one is kept in view, and a row says how many more are above or below.
Up/down (home/end) move the highlight when the list has the focus; Enter or a click selects.
"""

from __future__ import annotations

from collections.abc import Sequence

from rich.style import Style as RichStyle
from textual import events
from textual.binding import Binding
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.strip import Strip
from textual.style import Style
from textual.widget import Widget

from .styles import component_style

RULE = "─"


class LinkList(Widget, can_focus=True):
    BINDINGS = [
        Binding("up", "cursor(-1)", "Previous link", show=False),
        Binding("down", "cursor(1)", "Next link", show=False),
        Binding("home", "first", "First link", show=False),
        Binding("end", "last", "Last link", show=False),
        Binding("enter", "select", "Jump to the link", show=False),
    ]

    COMPONENT_CLASSES = {"link-list--highlighted", "link-list--rule", "link-list--more", "link-list--disabled"}

    DEFAULT_CSS = """
    LinkList > .link-list--highlighted {
        background: $block-cursor-blurred-background;
    }
    LinkList:focus > .link-list--highlighted {
        color: $block-cursor-foreground;
        background: $block-cursor-background;
        text-style: $block-cursor-text-style;
    }
    LinkList > .link-list--rule {
        color: $foreground 15%;
    }
    LinkList > .link-list--more, LinkList > .link-list--disabled {
        color: $text-muted;
    }
    """

    class Selected(Message):
        def __init__(self, item_id: str) -> None:
            super().__init__()
            self.item_id = item_id

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.items: list[tuple[str | None, Content]] = []  # (id, prompt); no id: not selectable
        self.highlighted: int | None = None
        self.top = 0  # the first item shown
        self._wrapped: tuple[int, dict[int, list[Content]]] = (-1, {})  # width, item -> its lines
        # while a frame is drawn: the rows, the component styles, the widget's style (Textual's, rich's)
        self._drawing: tuple[list[tuple[int, Content]], dict[str, Style], Style, RichStyle] | None = None

    # ------------------------------------------------------------------ public

    def set_items(self, items: Sequence[tuple[str | None, Content]]) -> None:
        """Show these items (the first selectable one highlighted); a repaint, no layout."""
        self.items = list(items)
        self._wrapped = (-1, {})
        self.top = 0
        self.highlighted = next((i for i, (item_id, _) in enumerate(self.items) if item_id), None)
        self.refresh()

    def highlighted_id(self) -> str | None:
        if self.highlighted is None:
            return None
        return self.items[self.highlighted][0]

    def visible_rows(self) -> list[tuple[int, Content]]:
        """(item, line) of each row drawn: item -1 for a rule, -2 for a "more" row. Only the
        items from `top` that fill the height are wrapped (a claim has up to ten links, two or
        three fit)."""
        width, height = self.content_size
        shown: list[tuple[int, Content]] = []
        index = self.top
        while index < len(self.items) and len(shown) <= height:  # a row past the height: more below
            if index > self.top:
                shown.append((-1, Content(RULE * width)))
            shown += [(index, line) for line in self._lines(index, width)]
            index += 1
        more_below = len(shown) > height
        shown = shown[:height]
        if self.top > 0 and shown:
            shown[0] = (-2, Content(f"▲ {self.top} more above"))
        if more_below and shown:
            kept = shown[:-1]
            whole = [item for item in {i for i, _ in kept if i >= 0} if self._is_whole(item, kept)]
            below = len(self.items) - 1 - max(whole, default=self.top - 1)
            shown[-1] = (-2, Content(f"▼ {below} more below"))
        return shown

    # ------------------------------------------------------------------ layout

    def _lines(self, index: int, width: int) -> list[Content]:
        """Item `index` wrapped at `width` (kept until the items or the width change)."""
        if self._wrapped[0] != width:
            self._wrapped = (width, {})
        cache = self._wrapped[1]
        lines = cache.get(index)
        if lines is None:
            lines = cache[index] = self.items[index][1].wrap(max(width, 1))
        return lines

    def _is_whole(self, item: int, shown: list[tuple[int, Content]]) -> bool:
        lines = len(self._lines(item, self.content_size.width))
        return sum(1 for i, _ in shown if i == item) == lines

    def _keep_in_view(self) -> None:
        """Scroll (by whole items) so that the highlighted item is shown, whole if it fits."""
        index = self.highlighted
        if index is None or not self.content_size.height:
            return
        if index < self.top:
            self.top = index
            return
        while self.top < index:
            shown = self.visible_rows()
            if any(item == index for item, _ in shown) and self._is_whole(index, shown):
                break
            self.top += 1

    # ------------------------------------------------------------------ drawing

    def render_lines(self, crop: Region) -> list[Strip]:
        # Textual asks for every line of a widget in each frame that touches it and draws only
        # the ones it has not kept: the rows and styles are worked out on the first line drawn
        self._drawing = None
        try:
            return super().render_lines(crop)
        finally:
            self._drawing = None

    def render_line(self, y: int) -> Strip:
        width = self.content_size.width
        if self._drawing is None:
            names = ("link-list--rule", "link-list--more", "link-list--disabled", "link-list--highlighted")
            self._drawing = (self.visible_rows(), {name: component_style(self, name) for name in names},
                             self.get_visual_style(), self.rich_style)
        shown, styles, visual, base = self._drawing
        if y >= len(shown):
            return Strip.blank(width, base)
        item, line = shown[y]
        line = line.pad_right(max(0, width - line.cell_length))
        if item == -1:
            line = line.stylize(styles["link-list--rule"])
        elif item == -2:
            line = line.stylize(styles["link-list--more"])
        elif self.items[item][0] is None:
            line = line.stylize(styles["link-list--disabled"])
        elif item == self.highlighted:
            line = line.stylize_before(styles["link-list--highlighted"])
        segments = line.render_segments(visual)
        return Strip(segments, line.cell_length).crop_extend(0, width, base)

    def on_resize(self, event: events.Resize) -> None:
        self._keep_in_view()
        self.refresh()

    def on_focus(self, event: events.Focus) -> None:
        self.refresh()

    def on_blur(self, event: events.Blur) -> None:
        self.refresh()

    # ------------------------------------------------------------------ keys and mouse

    def _move_to(self, index: int | None) -> None:
        if index is None or index == self.highlighted:
            return
        self.highlighted = index
        self._keep_in_view()
        self.refresh()

    def _selectable(self) -> list[int]:
        return [i for i, (item_id, _) in enumerate(self.items) if item_id]

    def action_cursor(self, step: int) -> None:
        choices = self._selectable()
        if not choices:
            return
        if self.highlighted not in choices:
            self._move_to(choices[0])
            return
        position = choices.index(self.highlighted) + step
        self._move_to(choices[max(0, min(position, len(choices) - 1))])

    def action_first(self) -> None:
        self._move_to(next(iter(self._selectable()), None))

    def action_last(self) -> None:
        self._move_to(next(reversed(self._selectable()), None))

    def action_select(self) -> None:
        item_id = self.highlighted_id()
        if item_id:
            self.post_message(self.Selected(item_id))

    def on_click(self, event: events.Click) -> None:
        offset = event.get_content_offset(self)
        if offset is None:
            return
        shown = self.visible_rows()
        if not 0 <= offset.y < len(shown):
            return
        item = shown[offset.y][0]
        if item == -2:  # "more": scroll that way
            self.top = max(0, self.top - 1) if offset.y == 0 and self.top else min(self.top + 1, len(self.items) - 1)
            self.refresh()
        elif item >= 0 and self.items[item][0]:
            self._move_to(item)
            self.action_select()
