"""Keys typed after `q` while the app is saving on its way out: ignored, no crash, tags saved.

The save is held back by holding the claim's judgement lock (as another reviewer's slow
write would), so the app is reliably in its leaving state when the late key arrives.
"""

from __future__ import annotations

import asyncio

import pytest

from claimdesk.store.database import Database, shard_of
from tui_fixtures import make_app, ready, until


@pytest.mark.parametrize("late_key", ["s", "E", "f", "question_mark", "c"])
def test_a_key_after_q_is_ignored_and_the_app_exits_cleanly(sample_db, late_key):
    db = Database.open(sample_db)

    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            first = app.review.current
            lock = db._locked(db._shard_name(shard_of(first.id, db.shards)))
            lock.__enter__()
            try:
                await pilot.press("d")
                quitting = asyncio.create_task(pilot.press("q"))  # waits on the held lock
                await until(pilot, lambda: app.leaving)
                # what a key typed at the terminal runs: its binding's action, if the screen allows it
                binding = next(b for b in app.review.BINDINGS if late_key in b.key.split(","))
                assert not await app.run_action(binding.action, app.review)
                assert app.screen is app.review  # no side-by-side, export, filter or help
                assert app.session.status(first.id) == "disputed"
            finally:
                lock.__exit__()
            await quitting
            await until(pilot, lambda: app.return_code is not None)
        return app, first

    app, first = asyncio.run(go())
    assert app.return_code == 0
    assert [(j.claim_id, j.status) for j in db.judgements()] == [(first.id, "disputed")]
