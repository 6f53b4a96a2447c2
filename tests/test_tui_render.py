"""The review screen's partial repaints draw what a full repaint draws.

A move or a tag restyles only the paragraphs of the claims involved (and the status bar, the
claim summary and the sources row without a layout pass when their size stays): after any mix
of keys, every line of the article pane and the whole screen must equal a from-scratch render.
"""

from __future__ import annotations

import asyncio

from claimdesk.tui.widgets.article_view import ArticleView

from tui_fixtures import make_app, ready, saved


def _article_lines(view: ArticleView) -> list[str]:
    height = view.scrollable_content_region.height
    return [repr(list(view.render_line(y))) for y in range(height)]


def test_partial_restyles_match_a_full_restyle(sample_db):
    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            view = app.review.query_one("#article", ArticleView)
            seen = 0
            for key in ("j", "j", "c", "k", "d", "j", "j", "u", "x", "J", "j", "c", "K", "k"):
                await pilot.press(key)
                await saved(pilot)  # the status bar says "saved": nothing changes under us
                partial = _article_lines(view)
                screen_partial = app.export_screenshot()
                view.restyle()  # drop every cached line and style: draw from scratch
                await pilot.pause()
                assert _article_lines(view) == partial, f"article pane differs after {key!r}"
                app.screen.refresh(layout=True)
                await pilot.pause()
                assert app.export_screenshot() == screen_partial, f"screen differs after {key!r}"
                seen += 1
            assert seen == 14

    asyncio.run(go())


def test_article_claims_build_lazily_and_match_the_corpus(sample_db):
    from claimdesk.store.database import Database
    from claimdesk.tui.screens.session import ArticleClaims, ReviewSession

    db = Database.open(sample_db)
    corpus = db.corpus()
    session = ReviewSession(db, "ana", corpus, db.judgements())
    for ai, article in enumerate(session.articles):
        claims = session.claims[ai]
        assert isinstance(claims, ArticleClaims)
        expected = corpus.claims_of(article.id)
        assert list(claims) == expected
        assert claims == expected
        assert claims[1:3] == expected[1:3]
        assert claims[-1] is expected[-1]
        for ci, claim in enumerate(claims):
            assert session.claim_pos[claim.id] == (ai, ci)
            assert session.claim(claim.id) is claim


def test_fast_wrap_gives_the_lines_of_the_measured_wrap(sample_db):
    from hypothesis import given, settings
    from hypothesis import strategies as st

    from claimdesk.store.database import Database
    from claimdesk.tui.widgets.wrap import ONE_CELL, _wrap_cells, _wrap_narrow, wrap_offsets

    paragraphs = [p for a in Database.open(sample_db).corpus().articles for p in a.text.split("\n")]
    narrow = [p for p in paragraphs if ONE_CELL.issuperset(p)]
    assert len(narrow) > len(paragraphs) // 2  # the real text takes the fast path
    for p in narrow:
        for width in (8, 13, 40, 79, 80, 120):
            assert _wrap_narrow(p, width) == _wrap_cells(p, width)

    @settings(max_examples=300, deadline=None)
    @given(st.text(alphabet="ab c  “”—…é,.Ж ", max_size=200), st.integers(8, 90))
    def same(text, width):
        assert _wrap_narrow(text, width) == _wrap_cells(text, width) == wrap_offsets(text, width)

    same()
    # wide and zero-width characters take the measured path
    assert wrap_offsets("字字字字字字字字字字", 8) == _wrap_cells("字字字字字字字字字字", 8) == [(0, 4), (4, 8), (8, 10)]


def test_a_cut_claim_summary_ends_in_an_ellipsis_at_a_word():
    from textual.content import Content

    from claimdesk.tui.widgets.evidence import fit_lines

    text = ("Suggested: ✓ corroborated — stated by 3 other independent sources: "
            "002_a89c721e5a84b66e, 003_a5c98d244fca9490 (5 of 6 agree)")
    content = Content(text)
    assert fit_lines(content, 30, 20) is content  # fits: unchanged
    for width, height in ((30, 2), (24, 3), (40, 1), (12, 4)):
        lines = fit_lines(content, width, height).plain.split("\n")
        assert len(lines) == height
        assert all(len(line) <= width for line in lines)
        assert lines[-1].endswith(" …")
        shown = " ".join(lines)[: -len(" …")].split()
        assert shown == text.split()[: len(shown)], (width, height, lines)  # whole words, in order


def test_the_suggestion_reason_cut_at_80x24_says_so(sample_db):
    """At 80x24 the evidence pane's summary has room for a few lines: a reason that does not fit
    ends in "…" on the screen (it was cut mid-phrase, looking complete)."""
    from textual.widgets import Static

    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(pilot)
            info = app.review.query_one("#claim-info", Static)
            cut = 0
            for _ in range(30):
                width, height = info.content_size
                full = info.visual.plain
                lines = info.render().plain.split("\n")  # what the widget draws
                if info.visual.get_height(info.styles, width) > height:
                    cut += 1
                    assert len(lines) == height and lines[-1].endswith(" …"), lines
                    words = " ".join(lines)[: -len(" …")].split()
                    assert words == full.split()[: len(words)]
                else:
                    assert "\n".join(lines) == full
                await pilot.press("j")
            return cut

    assert asyncio.run(go()) > 0  # some summaries did not fit


def test_linked_claims_that_do_not_fit_say_how_many_more_and_follow_the_highlight(sample_db):
    """At 80x24 the links list shows a few rows: "▼ N more below" counts the linked claims not
    shown whole; moving the highlight down (the list focused) keeps it in view, whole, and then
    "▲ N more above" counts those scrolled past."""
    from claimdesk.tui.widgets.link_list import LinkList

    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(80, 24)) as pilot:
            await ready(pilot)
            links = app.review.query_one("#links", LinkList)
            for _ in range(40):
                if len(links.items) >= 3:
                    break
                await pilot.press("j")
            assert len(links.items) >= 3, "no claim of the sample story has three linked claims"
            rows = links.visible_rows()
            assert rows[-1][1].plain.startswith("▼ ")
            whole = [i for i in range(len(links.items)) if links._is_whole(i, rows[:-1])]
            assert rows[-1][1].plain == f"▼ {len(links.items) - 1 - max(whole, default=-1)} more below"
            links.focus()
            await pilot.pause()
            for step in range(1, len(links.items)):
                await pilot.press("down")
                rows = links.visible_rows()
                assert links.highlighted == step
                shown = [i for i, _ in rows]
                assert step in shown, f"highlighted link {step} not on the screen"
                if links.top:
                    assert rows[0][1].plain == f"▲ {links.top} more above"
            last = links.items[-1][0]
            await pilot.press("enter")  # jumps to the highlighted linked claim
            await pilot.pause()
            return app.review.current.id, last

    current, last = asyncio.run(go())
    assert current == last
