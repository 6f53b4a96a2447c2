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
    from claimdesk.tui.review_state import ArticleClaims, ReviewSession

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
