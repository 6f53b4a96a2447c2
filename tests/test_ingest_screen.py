"""`I` in the review screen: a prompt for URLs, ingested in a worker while the reviewer goes on (Pilot,
against a local 127.0.0.1 server)."""

from __future__ import annotations

import asyncio

from tui_fixtures import make_app, ready, until
from web_server import serve

from claimdesk.tui.screens.add_urls import UrlPromptScreen, parse_urls


def test_parse_urls_splits_on_spaces_and_commas():
    assert parse_urls(" https://a.example/1, http://b.example/2  ftp://c\n") == (
        ["https://a.example/1", "http://b.example/2"], ["ftp://c"])


def test_prompt_ingests_urls_in_a_worker_and_keeps_the_reviewers_place(sample_db, nlp, monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")  # a proxy set in the environment must not see the test server
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    async def go():
        with serve() as site:
            app = make_app(sample_db)
            notes: list[str] = []
            notify = app.notify
            app.notify = lambda message, **kw: (notes.append(str(message)), notify(message, **kw))[1]
            async with app.run_test(size=(120, 40)) as pilot:
                await ready(pilot)
                await pilot.press("j", "j")
                place = app.review.current.id
                before = len(app.session.articles)
                await pilot.press("I")
                await until(pilot, lambda: isinstance(app.screen, UrlPromptScreen))
                await pilot.press(*"not-a-url", "enter")
                assert isinstance(app.screen, UrlPromptScreen)  # refused in place, with the reason shown
                assert "not an http or https URL: not-a-url" in str(app.screen.query_one("#urls-error").render())
                app.screen.query_one("#urls-input").value = f"{site.url('/story.html')} {site.url('/nowhere')}"
                await pilot.press("enter")
                await until(pilot, lambda: not isinstance(app.screen, UrlPromptScreen))
                await pilot.press("k")  # the reviewer goes on while the pages are fetched and read
                place = app.review.current.id
                await until(pilot, lambda: len(app.session.articles) == before + 1, tries=3000)
                assert app.review.current.id == place
                assert site.url("/story.html") in [a.source for a in app.session.articles]
                assert any("From 2 URL(s): 1 new, 0 changed, 0 unchanged article(s)" in m
                           and f"{site.url('/nowhere')}: HTTP 404 Not Found" in m for m in notes)

    asyncio.run(go())
