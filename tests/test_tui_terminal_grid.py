"""What reaches the terminal equals a full render, key after key, and resizes lose no word.

The app runs with a driver of its own (Textual's public `driver_class`, a `HeadlessDriver` that
is not headless): every byte the app writes goes into an emulated VT terminal (pyte). After
each key, every widget is asked to repaint from scratch; that full repaint, written over the
same terminal, must change no cell (characters and styles): the partial updates added up to
the whole screen.

Resizes: between every two of the sizes below, both ways, the evidence pane's linked claims as
read off the terminal must be the claims' own words in order (issue 12: linked claims kept the
width they were first wrapped at, and words fell off the end of their lines).
"""

from __future__ import annotations

import asyncio
import itertools

import pyte
import pytest
from textual.drivers.headless_driver import HeadlessDriver
from textual.widgets import Static

from claimdesk.tui.widgets.article_view import ArticleView
from claimdesk.tui.widgets.link_list import LinkList
from tui_fixtures import make_app, ready, saved

SIZES = [(80, 24), (120, 40), (170, 45)]

# moves that scroll the article pane both ways, article changes, tags, clears, undo / redo,
# boilerplate shown and hidden, the sources pane hidden and shown
KEYS = (
    "j j j j j j j j j j c d u j j j j j j j k k k k k k k k J j j c K k x n n N "
    "right_square_bracket left_square_bracket b j j b p j p a j ctrl+z ctrl+y J J "
    "j j j j j j j j j j j j"
).split()


class Terminal:
    """An emulated terminal the app's driver writes to."""

    def __init__(self, width: int, height: int) -> None:
        self.screen = pyte.Screen(width, height)
        self.stream = pyte.Stream(self.screen)

    def feed(self, data: str) -> None:
        self.stream.feed(data)

    def resize(self, width: int, height: int) -> None:
        self.screen.resize(height, width)

    def cells(self) -> list[list[tuple]]:
        screen = self.screen
        return [
            [
                (c.data, c.fg, c.bg, c.bold, c.italics, c.underscore, c.strikethrough, c.reverse)
                for c in (screen.buffer[y][x] for x in range(screen.columns))
            ]
            for y in range(screen.lines)
        ]

    def text(self, x0: int, y0: int, width: int, height: int) -> list[str]:
        return [self.screen.display[y][x0:x0 + width] for y in range(y0, y0 + height)]


def driver_for(terminal: Terminal) -> type[HeadlessDriver]:
    class TerminalDriver(HeadlessDriver):
        @property
        def is_headless(self) -> bool:
            return False  # so the app writes its output, to `write` below

        def write(self, data: str) -> None:
            terminal.feed(data)

    return TerminalDriver


def terminal_app(sample_db, size: tuple[int, int]):
    terminal = Terminal(*size)
    app = make_app(sample_db)
    app.driver_class = driver_for(terminal)
    return app, terminal


async def settled(app, terminal: Terminal, pilot, timeout: float = 60.0) -> None:
    """Until the app has drawn everything it had to: what the terminal shows unchanged over three
    refreshes of the screen in a row. (Pilot's `pause()` waits for the process to look idle,
    measured as CPU time against wall time; on a loaded machine a process that is simply not
    scheduled looks idle too, and the terminal was then read halfway through a resize's frames.)
    Fails if the screen is still changing after `timeout` seconds."""
    loop = asyncio.get_running_loop()
    deadline = loop.time() + timeout
    before = terminal.cells()
    calm = 0
    while calm < 3:
        await pilot.pause()
        await app.screen.wait_for_refresh()
        now = terminal.cells()
        calm = calm + 1 if now == before else 0
        before = now
        assert loop.time() < deadline, f"the screen was still changing after {timeout:.0f} s"


async def full_repaint(app, terminal: Terminal, pilot) -> None:
    """Every widget's cached lines dropped and the whole screen laid out and drawn again."""
    for widget in app.screen.walk_children(with_self=True):
        if isinstance(widget, ArticleView):
            widget.restyle()
        widget.refresh(layout=True)
    await settled(app, terminal, pilot)


async def assert_matches_full_repaint(app, terminal: Terminal, pilot, what: str) -> None:
    await settled(app, terminal, pilot)
    shown = terminal.cells()
    await full_repaint(app, terminal, pilot)
    full = terminal.cells()
    differ = [y for y in range(len(full)) if full[y] != shown[y]]
    assert not differ, (
        f"{what}: the terminal differs from a full repaint in rows {differ}:\n"
        + "\n".join("".join(cell[0] for cell in shown[y]) for y in differ[:3])
        + "\n-- full repaint --\n"
        + "\n".join("".join(cell[0] for cell in full[y]) for y in differ[:3])
    )


@pytest.mark.parametrize("size", SIZES)
def test_every_update_sent_to_the_terminal_adds_up_to_a_full_render(sample_db, size):
    app, terminal = terminal_app(sample_db, size)

    async def go() -> int:
        async with app.run_test(size=size, headless=False) as pilot:
            await ready(pilot)
            checked = 0
            for i, key in enumerate(KEYS):
                await pilot.press(key)
                await saved(pilot)
                await assert_matches_full_repaint(app, terminal, pilot, f"{size}: after key {i} {key!r}")
                checked += 1
            return checked

    assert asyncio.run(go()) == len(KEYS)


# ------------------------------------------------------------------ resizes


def _words(text: str) -> list[str]:
    return [w for w in text.split() if w.strip("─━▁▔▇ ")]  # rules and scrollbar thumbs are no words


def _is_run_of(part: list[str], whole: list[str]) -> bool:
    n = len(part)
    return any(whole[i:i + n] == part for i in range(len(whole) - n + 1))


def check_evidence_words(app, terminal: Terminal, what: str) -> int:
    """The words shown in the links list are a run of the linked claims' words (with their
    outlet line and reason), none missing; likewise the claim summary, which holds the claim's
    text at every width but the narrow one. Returns how many linked claims are shown whole."""
    links = app.review.query_one("#links", LinkList)
    region = links.content_region
    rows = terminal.text(region.x, region.y, region.width, region.height)
    shown = _words(" ".join(row for row in rows if not row.lstrip().startswith(("▲", "▼"))))  # "N more" rows
    prompts = [prompt.plain for _id, prompt in links.items]
    expected = _words(" ".join(prompts))
    assert shown, f"{what}: no linked claim on the screen"
    assert _is_run_of(shown, expected), (
        f"{what}: the evidence pane shows words that are not the linked claims' words in order:\n"
        f"shown:    {' '.join(shown)}\nexpected: {' '.join(expected)}"
    )
    whole = sum(_is_run_of(_words(p), shown) for p in prompts)
    info = app.review.query_one("#claim-info", Static)
    region = info.content_region
    info_words = _words(" ".join(terminal.text(region.x, region.y, region.width, region.height)))
    if info_words and info_words[-1] == "…":
        info_words = info_words[:-1]
    assert _is_run_of(info_words, _words(info.visual.plain)), (
        f"{what}: the claim summary shows {' '.join(info_words)!r}, not the words of "
        f"{info.visual.plain!r}"
    )
    claim = app.review.current
    if not app.review.has_class("-narrow"):  # narrow: the article pane above shows the claim's text
        assert _is_run_of(_words(claim.text), _words(info.visual.plain)), (
            f"{what}: the claim summary lacks the claim's own text {claim.text!r}: {info.visual.plain!r}"
        )
    return whole


def test_resizing_between_every_two_sizes_keeps_every_word_of_the_evidence(sample_db):
    # each ordered pair of sizes once: a -> b for every a != b
    order = [SIZES[0]]
    for a, b in itertools.permutations(SIZES, 2):
        if order[-1] != a:
            order.append(a)
        order.append(b)
    app, terminal = terminal_app(sample_db, order[0])

    async def go() -> int:
        async with app.run_test(size=order[0], headless=False) as pilot:
            await ready(pilot)
            await settled(app, terminal, pilot)
            links = app.review.query_one("#links", LinkList)
            for _ in range(40):  # a claim with two or more linked claims
                if len([item_id for item_id, _ in links.items if item_id]) >= 2:
                    break
                await pilot.press("j")
            assert len(links.items) >= 2, "no claim of the sample story has two linked claims"
            await settled(app, terminal, pilot)
            whole = check_evidence_words(app, terminal, f"at {order[0]}")
            for before, size in itertools.pairwise(order):
                terminal.resize(*size)
                await pilot.resize_terminal(*size)
                await settled(app, terminal, pilot)
                what = f"{before} -> {size}"
                whole += check_evidence_words(app, terminal, what)
                await assert_matches_full_repaint(app, terminal, pilot, what)
                await pilot.press("j")  # away and back: the same claim, drawn again at this width
                await pilot.press("k")
                await settled(app, terminal, pilot)
                whole += check_evidence_words(app, terminal, what + ", moved away and back")
            return whole

    assert asyncio.run(go()) > len(order)  # whole linked claims were compared, not just fragments
