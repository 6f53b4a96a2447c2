"""SVG snapshots of the review screen (pytest-textual-snapshot), at 80×24 and 120×40.

Deterministic by construction: fixed reviewer and db label, no clock in the status bar, the
cursor blink off, and the database made by ingesting sample_data with the real pipeline.
Regenerate with `pytest tests/test_tui_snapshots.py --snapshot-update` and look at the SVGs
(they change whenever extraction or linking changes what the sample story yields).
"""

from __future__ import annotations

import pytest

from tui_fixtures import make_app, no_cursor_blink, ready, saved

SIZES = [(80, 24), (120, 40)]


def _before(*keys: str):
    async def run_before(pilot) -> None:
        await ready(pilot)
        no_cursor_blink(pilot)
        for key in keys:
            await pilot.press(key)
        await saved(pilot)  # "saved", never "saving 1…": the writes are in before the picture
        no_cursor_blink(pilot)
        # toasts would make a snapshot depend on timing: clear them
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_main_screen(snap_compare, sample_db, size):
    """The first claim selected; one claim already tagged disputed (mark ✗), one corroborated (✓)."""
    app = make_app(sample_db, poll_interval=3600)
    assert snap_compare(app, terminal_size=size, run_before=_before("d", "c"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_side_by_side(snap_compare, sample_db, size):
    app = make_app(sample_db, poll_interval=3600)
    assert snap_compare(app, terminal_size=size, run_before=_before("s"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_help(snap_compare, sample_db, size):
    app = make_app(sample_db, poll_interval=3600)
    assert snap_compare(app, terminal_size=size, run_before=_before("question_mark"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_filter_modal(snap_compare, sample_db, size):
    app = make_app(sample_db, poll_interval=3600)
    assert snap_compare(app, terminal_size=size, run_before=_before("f", "down"))


@pytest.mark.parametrize("size", SIZES, ids=lambda s: f"{s[0]}x{s[1]}")
def test_filtered_by_statistic(snap_compare, sample_db, size):
    """After choosing "kind statistic": other claims greyed, sources limited, filter in the status bar."""
    from claimdesk.tui.review_state import FILTERS, Filter

    index = FILTERS.index(Filter("kind", "statistic"))
    app = make_app(sample_db, poll_interval=3600)
    keys = ["f", "home", *(["down"] * index), "enter"]
    assert snap_compare(app, terminal_size=size, run_before=_before(*keys))
