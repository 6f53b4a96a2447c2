"""The key bar (the bottom row): the screen's shown bindings with the keys they answer to now
(after a remap), ctrl+p at the right, and a click on a key presses it."""

from __future__ import annotations

import asyncio

from claimdesk.tui.widgets.key_bar import KeyBar
from tui_fixtures import make_app, ready, until


def row_text(bar: KeyBar) -> str:
    return bar.render().plain


def test_the_key_bar_shows_the_keys_as_remapped_and_a_click_presses_one(sample_db):
    async def go():
        app = make_app(sample_db, keymap={"tag-disputed": "D"})
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            bar = app.screen.query_one(KeyBar)
            text = row_text(bar)
            assert len(text) == 120 and bar.region.y == 39  # one full row, the last
            assert " ? Help " in text and " q Quit " in text and " j/k Move " in text
            shown, palette = bar.keys()
            assert ("D", "Disputed") in [(k.display, k.description) for k in shown]  # the remapped key
            assert "d" not in [k.display for k in shown] and palette is not None and palette.display == "^p"
            assert text.rstrip().endswith("^p palette")
            # a click on "c Corrob." tags the current claim corroborated (and moves on)
            first, end, key = next(span for span in bar._spans if span[2] == "c")
            claim = app.review.current
            await pilot.click(KeyBar, offset=(first + 1, 0))
            await until(pilot, lambda: app.session.status(claim.id) == "corroborated")
            # the help screen (pushed over it) has keys of its own: the review's bar stays as it was
            await pilot.press("question_mark")
            await until(pilot, lambda: app.screen.id == "help")
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is app.review)
            assert row_text(bar) == text
        async with make_app(sample_db).run_test(size=(80, 24)) as pilot:
            await ready(pilot)
            text = row_text(pilot.app.screen.query_one(KeyBar))
            assert len(text) == 80 and text.rstrip().endswith("^p palette")  # cut before the palette key

    asyncio.run(go())
