"""The first screen does not wait for the links file: it says the links are being read, and
shows the current claim's links once they are (the file is read after the first screen)."""

from __future__ import annotations

import asyncio

from claimdesk.tui.app import ClaimdeskApp
from claimdesk.tui.widgets.link_list import LinkList
from tui_fixtures import make_app, until


def test_the_first_screen_says_the_links_are_read_then_shows_them(sample_db, monkeypatch):
    held = []
    monkeypatch.setattr(ClaimdeskApp, "_start_links", lambda self, corpus: held.append(corpus))

    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: app.ready.is_set() and held)
            await pilot.pause()
            links = app.review.query_one("#links", LinkList)
            assert not app.session.links_ready
            assert [prompt.plain for _id, prompt in links.items] == ["Reading the links…"]
            await pilot.press("j")  # the screen answers meanwhile
            claim = app.review.current
            await asyncio.to_thread(ClaimdeskApp._load_links, app, held[0])  # what the links thread does
            await until(pilot, lambda: app.session.links_ready and links.items
                        and links.items[0][1].plain != "Reading the links…")
            expected = {link.other_id for link in app.session.links_of(claim.id)}
            shown = {item_id for item_id, _ in links.items if item_id}
            assert expected and shown <= expected  # the current claim's links (the first ten)

    asyncio.run(go())


def test_an_unreadable_links_file_is_said_once_and_the_evidence_stops_waiting(sample_db):
    import json

    from claimdesk.tui.widgets.link_list import LinkList as Links
    from tui_fixtures import record_notifications

    meta = json.loads((sample_db / "corpus.json").read_text())["meta"]["1"]
    (sample_db / meta["links"]["file"]).write_text("{ not json")  # damaged after the open

    async def go():
        app = make_app(sample_db)
        said = record_notifications(app)
        async with app.run_test(size=(120, 40)) as pilot:
            await until(pilot, lambda: app.session is not None and app.session.links_ready, tries=1000)
            await pilot.pause()
            links = app.review.query_one("#links", Links)
            assert any("Could not read the links" in message for message in said)
            assert all("Reading the links" not in prompt.plain for _id, prompt in links.items)
            await pilot.press("j")  # the screen goes on
            await pilot.pause()
            assert app.review.current is not None

    asyncio.run(go())
