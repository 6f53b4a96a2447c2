"""What reaches the terminal equals a full render, key after key.

The review screen repaints as little as it can (only the rows of the claims involved, rows
moved on a scroll, one border row for a title); some of that relies on Textual 8.2.8 internals
(see tui/widgets/article_view.py, styles.py). Here every update the app sends to the terminal
is applied to an emulated grid of cells, and after each key the grid must equal a from-scratch
render of the whole screen: characters and styles, cell by cell.
"""

from __future__ import annotations

import asyncio

import pytest
from rich.cells import cell_len
from rich.segment import Segment
from textual.app import App

from claimdesk.tui.widgets.article_view import ArticleView
from tui_fixtures import make_app, ready, saved

Grid = list[list[tuple[str, str]]]

# moves that scroll the article pane both ways, article changes, tags, clears, undo / redo,
# boilerplate shown and hidden, the sources pane hidden and shown
KEYS = (
    "j j j j j j j j j j c d u j j j j j j j k k k k k k k k J j j c K k x n n N "
    "right_square_bracket left_square_bracket b j j b p j p a j ctrl+z ctrl+y J J "
    "j j j j j j j j j j j j"
).split()


def blank(width: int, height: int) -> Grid:
    return [[(" ", "")] * width for _ in range(height)]


def apply(segments: list[Segment], grid: Grid) -> None:
    """Draw segments as a terminal would: cursor moves from control codes, text from there on."""
    height, width = len(grid), len(grid[0])
    x = y = 0
    for segment in segments:
        if segment.control:
            for code in segment.control:
                if code[0].name == "CURSOR_MOVE_TO":
                    x, y = code[1], code[2]
            continue
        if segment.text == "\n":
            continue
        style = str(segment.style) if segment.style else ""
        for ch in segment.text:
            if 0 <= y < height and 0 <= x < width:
                grid[y][x] = (ch, style)
            x += max(1, cell_len(ch))


def rows_text(grid: Grid, rows: list[int]) -> str:
    return "\n".join("".join(ch for ch, _ in grid[y]) for y in rows[:3])


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (170, 45)])
def test_every_update_sent_to_the_terminal_adds_up_to_a_full_render(sample_db, monkeypatch, size):
    width, height = size
    terminal = blank(width, height)
    app = make_app(sample_db)
    original = App._display

    def display(self, screen, renderable):  # noqa: ANN001 - Textual's own signature
        if self is app and renderable is not None and hasattr(renderable, "__rich_console__"):
            apply(list(renderable.__rich_console__(self.console, self.console.options)), terminal)
        return original(self, screen, renderable)

    monkeypatch.setattr(App, "_display", display)

    async def go() -> int:
        async with app.run_test(size=size) as pilot:
            await ready(pilot)
            checked = 0
            for i, key in enumerate(KEYS):
                await pilot.press(key)
                await saved(pilot)
                await pilot.pause()
                shown = [list(row) for row in terminal]
                # from scratch: every widget's cached lines dropped, the whole screen laid out again
                for widget in app.screen.walk_children(with_self=True):
                    if isinstance(widget, ArticleView):
                        widget.restyle()
                    widget.refresh(layout=True)
                await pilot.pause()
                full = blank(width, height)
                update = app.screen._compositor.render_full_update()
                apply(list(update.__rich_console__(app.console, app.console.options)), full)
                differ = [y for y in range(height) if full[y] != shown[y]]
                assert not differ, (
                    f"{width}x{height}: after key {i} {key!r} the terminal differs from a full render in "
                    f"rows {differ}:\n{rows_text(shown, differ)}\n-- full render --\n{rows_text(full, differ)}"
                )
                checked += 1
            return checked

    assert asyncio.run(go()) == len(KEYS)
