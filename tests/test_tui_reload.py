"""The review screen when the database changes under it or the session ends badly (Pilot):

* another reviewer re-ingests changed articles: the screen reloads the corpus in a worker and
  keeps the reviewer's place; tags land on the new corpus;
* a tag on a claim the re-ingest removed can never be saved: reported once, set aside, and the
  tags behind it are saved at once (it used to block every later tag: "unsaved 2 (retrying)");
* changes still unsaved at the exit go to a 0600 recovery file, are listed with complete,
  shell-quoted redo commands, and the next start offers to replay them.
"""

from __future__ import annotations

import asyncio
import json
import os
import shlex
import stat

from claimdesk.store.database import Database, shard_of
from claimdesk.tui.review_state import Filter
from tui_fixtures import changed_sample, make_app, ready, reingest, until


def toasts(app) -> list[str]:
    return [str(t.render()) for t in app.screen.query("Toast")]


def status_in_db(db_path, claim_id, reviewer="ana"):
    j = Database.open(db_path).judgement(claim_id, reviewer)
    return j.status if j else None


def test_a_reingest_reloads_the_screen_keeping_the_place_and_tags_land(sample_db, sample_dir, tmp_path, nlp):
    corpus = Database.open(sample_db).corpus()
    article = corpus.articles[0]
    claims = corpus.claims_of(article.id)
    folder, gone = changed_sample(sample_dir, corpus, tmp_path / "story", claim=0)

    async def go():
        app = make_app(sample_db, poll_interval=0.1)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await ready(pilot)
            await pilot.press("j", "j")
            here = app.review.current
            assert here.id == claims[2].id
            await pilot.press("c")  # claims[2] tagged: advances to claims[3]
            await pilot.press("k")
            app.review.apply_filter(Filter("judged", "corroborated"))  # the reviewer's filter
            assert app.review.current.id == here.id
            old = app.session
            result = await asyncio.to_thread(reingest, folder, sample_db)
            assert result.articles_changed == 1
            await until(pilot, lambda: app.session is not old, tries=1000)
            await pilot.pause()
            assert gone not in app.session.claim_pos and gone in old.claim_pos
            assert app.review.current.id == here.id  # the same claim, the reviewer's place
            assert app.session.filter == Filter("judged", "corroborated")  # and filter
            assert sum(app.session.filter_counts) == 1 and app.session.status(here.id) == "corroborated"
            assert any("The corpus changed" in t for t in toasts(app))
            await pilot.press("x")  # cleared, and the tag after it lands on the new corpus
            await until(pilot, lambda: status_in_db(sample_db, here.id) == "", tries=1000)
            await pilot.press("d")
            await until(pilot, lambda: status_in_db(sample_db, here.id) == "disputed", tries=1000)
            assert app.writer.pending == 0 and app.writer.set_aside() == []

    asyncio.run(go())


def test_the_place_on_a_claim_the_reingest_removed_is_kept_by_index(sample_db, sample_dir, tmp_path, nlp):
    corpus = Database.open(sample_db).corpus()
    claims = corpus.claims_of(corpus.articles[0].id)
    folder, gone = changed_sample(sample_dir, corpus, tmp_path / "story", claim=1)

    async def go():
        app = make_app(sample_db, poll_interval=0.1)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await ready(pilot)
            await pilot.press("j")
            assert app.review.current.id == claims[1].id == gone
            old = app.session
            await asyncio.to_thread(reingest, folder, sample_db)
            await until(pilot, lambda: app.session is not old, tries=1000)
            await pilot.pause()
            assert (app.review.ai, app.session.articles[app.review.ai].id) == (0, corpus.articles[0].id)
            assert app.review.current is not None and app.review.current.id != gone
            assert any("The claim you were on changed" in t for t in toasts(app))

    asyncio.run(go())


def test_a_tag_that_can_never_be_saved_is_set_aside_once_and_blocks_nothing(sample_db, sample_dir, tmp_path, nlp):
    corpus = Database.open(sample_db).corpus()
    claims = corpus.claims_of(corpus.articles[0].id)
    folder, gone = changed_sample(sample_dir, corpus, tmp_path / "story", claim=0)

    async def go():
        # no poll during the test: the screen still shows the old corpus when the tag is made
        app = make_app(sample_db, poll_interval=600)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await ready(pilot)
            assert app.review.current.id == gone
            await asyncio.to_thread(reingest, folder, sample_db)  # another reviewer's ingest
            await pilot.press("c")  # on the claim that is gone now
            await until(pilot, lambda: app.writer.set_aside() != [], tries=1000)
            await pilot.press("d", "u")  # the next claims: saved at once, not queued behind it
            await until(pilot, lambda: status_in_db(sample_db, claims[1].id) == "disputed"
                        and status_in_db(sample_db, claims[2].id) == "unsourced", tries=1000)
            await until(pilot, lambda: app.writer.pending == 0)
            await pilot.pause()
            assert "retrying" not in app.save_state and "unsaved" not in app.save_state
            assert app.save_state == "saved · ⚠ 1 set aside"  # kept in view, not repeated
            reports = [t for t in toasts(app) if "cannot be" in t]
            assert len(reports) == 1 and gone in reports[0]
            app.exit()
        unsaved = app.finish(1)
        return app, unsaved

    app, unsaved = asyncio.run(go())
    assert [(u.claim_id, u.status, bool(u.reason)) for u in unsaved] == [(gone, "corroborated", True)]
    assert status_in_db(sample_db, gone) is None
    report = app.exit_report(sample_db)
    assert "1 change(s) could NOT be saved" in report[0]
    assert f"  kept in {app.recovery_path}" in report and "  1 set aside: " in report[1]
    assert report[-1].startswith(f"    # not saved, cannot be: {gone} corroborated")
    doc = json.loads(app.recovery_path.read_text())
    assert [(c["claim_id"], c["status"]) for c in doc["changes"]] == [(gone, "corroborated")]
    assert doc["changes"][0]["reason"] and doc["changes"][0]["text"] == claims[0].text


def _break_shard(db_path, claim_id):
    """The claim's shard made unreadable (a folder where its file should be): writes to it fail
    for a reason that passes once it is put back. Returns the function that puts it back."""
    db = Database.open(db_path)
    shard = db.shard_files()[shard_of(claim_id, db.shards)]
    moved = shard.with_name(shard.name + ".away")
    if shard.exists():
        shard.rename(moved)
    shard.mkdir()

    def repair():
        shard.rmdir()
        if moved.exists():
            moved.rename(shard)

    return repair


def test_unsaved_changes_go_to_a_private_recovery_file_and_the_next_start_replays_them(sample_db, tmp_path):
    reviewer = "ana o'neil; rm -rf ~"  # a name a shell must never run
    corpus = Database.open(sample_db).corpus()
    claims = corpus.claims_of(corpus.articles[0].id)
    first = claims[0]
    note = 'said "1,000"; $(id) `x`'
    recovery_dir = tmp_path / "state" / "recovery"
    repairs = []

    async def first_session():
        app = make_app(sample_db, reviewer, recovery_dir=recovery_dir, flush_timeout=0.3, advance=False)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await ready(pilot)
            assert app.review.current.id == first.id
            repairs.append(_break_shard(sample_db, first.id))  # after the first read
            await pilot.press("c")
            app.review.action_edit_note()
            await pilot.pause()
            app.review.query_one("#note").value = note
            await pilot.press("enter")
            await until(pilot, lambda: "retrying" in app.save_state, tries=1000)
            await pilot.press("q")  # cannot save: the quit is called off, with a warning
            await until(pilot, lambda: app._quit_armed, tries=1000)
            await pilot.press("q")  # the second q leaves
        return app, app.finish(0.2)

    app, unsaved = asyncio.run(first_session())
    assert [(u.claim_id, u.status, u.note, u.reason) for u in unsaved] == [(first.id, "corroborated", note, "")]
    path = app.recovery_path
    assert path is not None and path.parent == recovery_dir
    assert stat.S_IMODE(path.stat().st_mode) == 0o600
    assert stat.S_IMODE(recovery_dir.stat().st_mode) == 0o700
    # the redo command: complete (--db, --reviewer) and a shell gives back exactly the argv
    report = app.exit_report(sample_db)
    (command,) = [line.strip() for line in report if line.startswith("    ")]
    assert report[1].startswith("  1 still queued (")
    assert shlex.split(command) == ["claimdesk", "tag", first.id, "corroborated", "--db", str(sample_db.resolve()),
                                    "--reviewer", reviewer, "--note", note]
    repairs[0]()
    assert Database.open(sample_db).judgement(first.id, reviewer) is None

    async def next_session():
        app = make_app(sample_db, reviewer, recovery_dir=recovery_dir)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await ready(pilot)
            await until(pilot, lambda: app.screen.id == "recovery")
            shown = str(app.screen.query_one("#recovery-title").render())
            assert "1 change(s) from a session that ended" in shown
            await pilot.press("enter")  # replay
            await until(pilot, lambda: app.screen is app.review)
            assert any("Replayed 1 change(s)" in t for t in toasts(app))
            await until(pilot, lambda: app.writer.pending == 0 and app.undo_stack != [], tries=1000)
            assert asyncio.get_running_loop() and await asyncio.to_thread(app.writer.flush, 10)
        app.finish(1)
        return app

    asyncio.run(next_session())
    j = Database.open(sample_db).judgement(first.id, reviewer)
    assert (j.status, j.note) == ("corroborated", note)
    assert not path.exists() and not any(recovery_dir.iterdir())


def test_a_recovery_file_is_never_read_through_a_symlink(sample_db, tmp_path):
    """A planted symlink named like a recovery file (pointing at someone's private file) is
    refused with one line, never read, never offered."""
    from claimdesk.tui import recovery

    recovery_dir = tmp_path / "state" / "recovery"
    recovery_dir.mkdir(parents=True, mode=0o700)
    secret = tmp_path / "secret.json"
    secret.write_text(json.dumps({"format": recovery.FORMAT}))
    name = recovery.new_file_name(sample_db, "ana").replace(f"{os.getpid()}-", "999999999-")
    (recovery_dir / name).symlink_to(secret)
    found, problems = recovery.pending(recovery_dir, sample_db, "ana")
    assert found == []
    assert len(problems) == 1 and name in problems[0] and "symlink" in problems[0]


def test_a_changed_corpus_that_cannot_be_read_is_said_once_and_the_screen_goes_on(sample_db):
    async def go():
        app = make_app(sample_db, poll_interval=0.05)
        async with app.run_test(size=(120, 40), notifications=True) as pilot:
            await ready(pilot)
            old = app.session
            corpus = sample_db / "corpus.json"
            broken = sample_db / "corpus.json.new"
            broken.write_bytes(corpus.read_bytes()[: corpus.stat().st_size // 2])  # cut short
            os.replace(broken, corpus)
            await until(pilot, lambda: any("Could not read the changed corpus" in t for t in toasts(app)), tries=1000)
            await pilot.pause(0.5)  # ten polls later: not read again, not said again
            assert sum("Could not read the changed corpus" in t for t in toasts(app)) == 1
            assert app.session is old and app.review.current is not None
            await pilot.press("j")  # the screen goes on
            assert app.review.ci == 1

    asyncio.run(go())
