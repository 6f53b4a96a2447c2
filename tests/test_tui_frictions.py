"""The review screen's small frictions (issue 12, item 6), each checked with Pilot:

* toasts hide nothing: over the sources pane when it shows, else on the status bar and key rows,
  never over the article or the evidence;
* `p` does what the README says, at 80×24 and wider, and the choice holds across a resize;
* `E` proposes a file in the documents folder (not the current folder, never the database
  folder), exports what the active filter shows and says so (ctrl+a: every claim), 0600;
* the filter dialog shows its keys; the help says how to close it.
"""

from __future__ import annotations

import asyncio
import csv
import stat
from pathlib import Path

import pytest

from claimdesk.store.database import Database
from claimdesk.tui.review_state import Filter
from tui_fixtures import make_app, ready, until

ROOT = Path(__file__).resolve().parent.parent


def overlaps(a, b) -> bool:
    return bool(a.intersection(b).area)


def inside(inner, outer) -> bool:
    return outer.intersection(inner) == inner


async def toast_regions(pilot, message: str):
    app = pilot.app
    app.notify(message, timeout=30)
    await until(pilot, lambda: [t for t in app.screen.query("Toast") if t.region.area])
    await pilot.pause()
    return [t.region for t in app.screen.query("Toast") if t.region.area]


@pytest.mark.parametrize("size", [(80, 24), (120, 40), (170, 45)])
def test_toasts_cover_neither_the_article_nor_the_evidence(sample_db, size):
    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=size, notifications=True) as pilot:
            await ready(pilot)
            screen = app.screen
            article, evidence = screen.query_one("#article").region, screen.query_one("#evidence").region
            sources = screen.query_one("#sources")
            (toast,) = await toast_regions(pilot, "Filter: unreviewed (72 claims in 5 articles).")
            assert not overlaps(toast, article) and not overlaps(toast, evidence), (toast, article, evidence)
            if sources.display:  # over the list of sources
                assert inside(toast, sources.region), (toast, sources.region)
            else:  # on the status bar and key rows
                assert toast.y >= size[1] - 2, toast
            # the sources pane hidden (p): the toasts move to the bottom rows, still off the work
            app.clear_notifications()
            await pilot.press("p")
            app.clear_notifications()
            await pilot.pause()
            article, evidence = screen.query_one("#article").region, screen.query_one("#evidence").region
            regions = await toast_regions(pilot, "Saved again: the queued changes are in the database.")
            for region in regions:
                assert not overlaps(region, article) and not overlaps(region, evidence), (region, article, evidence)
                if screen.query_one("#sources").display:
                    assert inside(region, screen.query_one("#sources").region)

    asyncio.run(go())


def test_p_hides_or_shows_the_sources_as_the_readme_says_and_holds_across_a_resize(sample_db):
    readme = (ROOT / "README.md").read_text()
    assert "the sources pane starts hidden below 100 columns; `p` shows or hides it at any size" in readme

    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(pilot)
            sources = app.screen.query_one("#sources")
            assert not sources.display  # 80×24: hidden at first
            await pilot.press("p")
            assert sources.display and sources.region.width > 0  # p shows it
            await pilot.press("p")
            assert not sources.display  # and hides it again
        async with make_app(sample_db).run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            sources = pilot.app.screen.query_one("#sources")
            assert sources.display  # wide enough: shown at first
            await pilot.press("p")
            assert not sources.display  # p hides it
            await pilot.resize_terminal(80, 24)
            await pilot.pause()
            assert not sources.display  # still hidden: the reviewer's choice holds
            await pilot.resize_terminal(120, 40)
            await pilot.press("p")
            await pilot.resize_terminal(80, 24)
            await pilot.pause()
            assert sources.display  # shown by choice, at 80×24 too

    asyncio.run(go())


def test_export_proposes_the_documents_folder_and_exports_what_the_filter_shows(sample_db, tmp_path, monkeypatch):
    home = tmp_path / "home"
    home.mkdir()
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / ".config"))
    monkeypatch.chdir(tmp_path)  # the current folder: never proposed
    db = Database.open(sample_db)
    corpus = db.corpus()
    quotes = [c.id for c in corpus.claims if c.kind == "quote"]
    assert 0 < len(quotes) < len(corpus.claims)

    async def go():
        app = make_app(sample_db, export_dir=None)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await ready(pilot)
            # no filter: every claim, said so, offered in ~/Documents named after db and reviewer
            await pilot.press("E")
            await until(pilot, lambda: app.screen.id == "export")
            box = app.screen.query_one("#export-path")
            assert Path(box.value) == home / "Documents" / "claimdesk-ana.csv"
            assert f"All {len(corpus.claims)} claims" in str(app.screen.query_one("#export-scope").render())
            await pilot.press("escape")
            # a filter on: only what it shows, said so; ctrl+a switches to every claim and back
            app.review.apply_filter(Filter("kind", "quote"))
            await pilot.press("E")
            await until(pilot, lambda: app.screen.id == "export")
            scope = app.screen.query_one("#export-scope")
            box = app.screen.query_one("#export-path")
            assert f"Only the {len(quotes)} claims shown (filter: kind quote)" in str(scope.render())
            assert Path(box.value) == home / "Documents" / "claimdesk-ana-kind-quote.csv"
            await pilot.press("ctrl+a")
            assert f"All {len(corpus.claims)} claims" in str(scope.render())
            assert Path(box.value) == home / "Documents" / "claimdesk-ana.csv"
            await pilot.press("ctrl+a")
            await pilot.press("enter")
            target = home / "Documents" / "claimdesk-ana-kind-quote.csv"
            await until(pilot, target.exists, tries=1000)
            await until(pilot, lambda: any("Exported to" in str(t.render()) for t in app.screen.query("Toast")))
            assert any("the claims shown (filter: kind quote)" in str(t.render()) for t in app.screen.query("Toast"))
            # into the database folder: refused with one line, nothing written there
            await pilot.press("E")
            await until(pilot, lambda: app.screen.id == "export")
            app.screen.query_one("#export-path").value = str(sample_db / "corpus.csv")
            await pilot.press("enter")
            await until(pilot, lambda: any("inside the database folder" in str(t.render())
                                           for t in app.screen.query("Toast")), tries=1000)
        return target

    target = asyncio.run(go())
    assert stat.S_IMODE(target.stat().st_mode) == 0o600
    with target.open(newline="", encoding="utf-8") as fh:
        rows = list(csv.DictReader(fh))
    assert [r["claim_id"] for r in rows] == quotes
    assert not (sample_db / "corpus.csv").exists()
    assert not list(tmp_path.glob("*.csv"))  # nothing in the current folder


def test_the_filter_dialog_shows_its_keys_and_the_help_says_how_to_close_it(sample_db):
    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(pilot)
            await pilot.press("f")
            await until(pilot, lambda: app.screen.id == "filter")
            hints = app.screen.query_one("#filter-hints")
            assert hints.region.area  # on screen at 80×24
            text = str(hints.render())
            assert "enter" in text and "esc" in text and "↑↓" in text
            await pilot.press("escape")
            await until(pilot, lambda: app.screen is app.review)
            await pilot.press("question_mark")
            await until(pilot, lambda: app.screen.id == "help")
            title = app.screen.query_one("#help-title")
            assert title.region.area and "escape, q or ? closes" in str(title.render())
            await pilot.press("q")  # as it says
            await until(pilot, lambda: app.screen is app.review)

    asyncio.run(go())
