"""Pilot tests of the review screen on the ingested sample story: every flow of the review issue."""

from __future__ import annotations

import asyncio
import csv
import os
import signal
import subprocess
import sys
from pathlib import Path

from claimdesk.store.database import Database
from claimdesk.tui.review_state import Filter
from claimdesk.tui.widgets.article_view import ArticleView
from claimdesk.tui.widgets.evidence import EvidencePane

from tui_fixtures import REVIEWER, make_app, ready, record_notifications, saved, until

BIN = Path(sys.executable).parent


def run(coro):
    return asyncio.run(coro)


def cursor(app):
    review = app.review
    return review.ai, review.ci, review.current


def status_in_db(db_path: Path, claim_id: str, reviewer: str = REVIEWER) -> str | None:
    j = Database.open(db_path).judgement(claim_id, reviewer)
    return j.status if j else None


# ----------------------------------------------------------------------------- moving


def test_opens_on_first_unreviewed_and_moves_with_j_k_and_articles(sample_db):
    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            session = app.session
            assert (app.review.ai, app.review.ci) == (0, 0)
            first = app.review.current
            await pilot.press("j")
            assert app.review.current.id == session.claims[0][1].id
            await pilot.press("down", "k")
            assert app.review.current.id == session.claims[0][1].id
            await pilot.press("up")
            assert app.review.current.id == first.id
            # j at the end of an article goes on into the next one
            for _ in range(len(session.claims[0])):
                await pilot.press("j")
            assert app.review.ai == 1 and app.review.ci == 0
            await pilot.press("J")
            assert app.review.ai == 2
            await pilot.press("right_square_bracket")
            assert app.review.ai == 3
            await pilot.press("K", "left_square_bracket")
            assert app.review.ai == 1
            # the article pane shows the article's cleaned text and the evidence pane the claim
            view = app.review.query_one(ArticleView)
            assert view.article.id == session.articles[1].id
            assert "Claim 1/" in str(app.review.query_one("#claim-info").render())
    run(go())


def test_click_on_a_claim_selects_it(sample_db):
    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            view = app.review.query_one(ArticleView)
            # find where claim 2 of the first article is drawn, then click there
            target = next((y, x0) for y, line in enumerate(view._lines) for x0, _x1, ci in line.hits if ci == 2)
            y, x = target
            await pilot.click(ArticleView, offset=(x + 1 + 1, y + 1))  # border + padding
            assert app.review.ci == 2
            # a click on an article in the sources pane opens it
            await pilot.click("#sources", offset=(3, 1 + 3))
            assert app.review.ai == 3 and app.review.ci == app.session.first_in_article(3)
            # p hides the sources pane (wide enough to show it), p again shows it
            assert app.review.query_one("#sources").display
            await pilot.press("p")
            assert not app.review.query_one("#sources").display
            await pilot.press("p")
            assert app.review.query_one("#sources").display
    run(go())


# ----------------------------------------------------------------------------- judging


def test_tag_saves_at_once_and_advances_to_next_unreviewed(sample_db):
    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            first = app.review.current
            second = app.session.claims[0][1]
            await pilot.press("c")
            assert app.session.status(first.id) == "corroborated"  # optimistic, at once
            assert app.review.current.id == second.id  # advanced
            await pilot.press("d")
            await saved(pilot)
            assert status_in_db(sample_db, first.id) == "corroborated"
            assert status_in_db(sample_db, second.id) == "disputed"
            assert app.save_state == "saved"
            assert "saved" in str(app.review.query_one("#status").render())
            assert app.session.reviewed[0] == 2
            # the article pane marks them with symbols, not only colour
            view = app.review.query_one(ArticleView)
            text = "".join(view._block_content(b).plain for b in sorted({view._claim_block[0], view._claim_block[1]}))
            assert "✓ " + first.text[:20] in text
            assert "✗ " + second.text[:20] in text
            # n skips judged claims; u tags the third as unsourced
            await pilot.press("k", "k", "n")
            assert app.review.current.id == app.session.claims[0][2].id
            await pilot.press("u")
            await saved(pilot)
            assert status_in_db(sample_db, app.session.claims[0][2].id) == "unsourced"
    run(go())


def test_no_advance_option_and_toggle_key(sample_db):
    async def go():
        app = make_app(sample_db, advance=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            first = app.review.current
            await pilot.press("c")
            assert app.review.current.id == first.id
            await pilot.press("A", "d")
            assert app.session.status(first.id) == "disputed"
            assert app.review.current.id != first.id  # advance is back on
    run(go())


def test_accept_suggestion_and_clear(sample_db):
    async def go():
        app = make_app(sample_db, advance=False)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            session = app.session
            suggested = next(c for cs in session.claims for c in cs
                             if (s := session.suggestions.get(c.id)) and s.status)
            app.review.jump_to(suggested.id)
            await pilot.press("a")
            await saved(pilot)
            expected = session.suggestions[suggested.id].status
            assert status_in_db(sample_db, suggested.id) == expected
            await pilot.press("x")
            await saved(pilot)
            assert status_in_db(sample_db, suggested.id) == ""
            history = Database.open(sample_db).history(suggested.id)[0].history
            assert [c.action for c in history] == ["tag", "untag"]
            # a claim with no suggestion: `a` changes nothing
            bare = next(c for cs in session.claims for c in cs
                        if not ((s := session.suggestions.get(c.id)) and s.status))
            app.review.jump_to(bare.id)
            await pilot.press("a")
            await saved(pilot)
            assert status_in_db(sample_db, bare.id) is None
    run(go())


def test_note_edit_saves_on_enter_and_escape_cancels(sample_db):
    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            claim = app.review.current
            await pilot.press("e")
            note = app.review.query_one("#note")
            assert note.display and note.has_focus
            await pilot.press(*"TASS only, cdu q")  # letters that are also keys go into the note
            await pilot.press("enter")
            await saved(pilot)
            assert not note.display
            j = Database.open(sample_db).judgement(claim.id, REVIEWER)
            assert j.note == "TASS only, cdu q" and j.status == ""
            assert app.review.current.id == claim.id  # a note does not advance
            await pilot.press("e", *"discard me", "escape")
            await saved(pilot)
            assert Database.open(sample_db).judgement(claim.id, REVIEWER).note == "TASS only, cdu q"
            assert "note: TASS only, cdu q" in str(app.review.query_one("#claim-info").render())
    run(go())


def test_undo_and_redo_are_new_changes_in_history(sample_db):
    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            claim = app.review.current
            await pilot.press("d")
            await pilot.press("ctrl+z")
            assert app.review.current.id == claim.id  # undo goes back to the claim
            await saved(pilot)
            assert status_in_db(sample_db, claim.id) == ""
            await pilot.press("ctrl+y")
            await saved(pilot)
            assert status_in_db(sample_db, claim.id) == "disputed"
            history = Database.open(sample_db).history(claim.id)[0].history
            assert [(c.action, c.status) for c in history] == [
                ("tag", "disputed"), ("untag", ""), ("tag", "disputed")]
    run(go())


# ----------------------------------------------------------------------------- finding


def test_search_enter_goes_to_next_match(sample_db):
    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            session = app.session
            matches = [c.id for cs in session.claims for c in cs if "160,000" in c.text]
            assert len(matches) >= 3
            await pilot.press("slash", *"160,000", "enter")
            assert app.review.current.id == matches[0] or "160,000" in app.review.current.text
            seen = [app.review.current.id]
            await pilot.press("enter")
            seen.append(app.review.current.id)
            await pilot.press("enter")
            seen.append(app.review.current.id)
            assert len(set(seen)) == 3 and all(cid in matches for cid in seen)
            await pilot.press("escape")
            assert not app.review.query_one("#search").display
            assert app.review.query_one(ArticleView).has_focus
    run(go())


def test_filter_modal_limits_moves_and_sources(sample_db):
    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            session = app.session
            await pilot.press("f")
            assert app.screen.id == "filter"
            # choose "kind statistic" from the list
            from claimdesk.tui.review_state import FILTERS

            index = FILTERS.index(Filter("kind", "statistic"))
            await pilot.press("home", *(["down"] * index), "enter")
            assert app.screen.id == "review"
            assert session.filter == Filter("kind", "statistic")
            assert app.review.current.kind == "statistic"
            for _ in range(5):
                await pilot.press("j")
                assert app.review.current.kind == "statistic"
            stats_articles = [i for i, cs in enumerate(session.claims) if any(c.kind == "statistic" for c in cs)]
            assert list(app.review.query_one("#sources").rows) == stats_articles
            assert "kind statistic" in str(app.review.query_one("#status").render())
            # unreviewed: tagging takes a claim out of the moves
            app.review.apply_filter(Filter("unreviewed"))
            await pilot.pause()
            tagged = app.review.current
            await pilot.press("c", "k")
            assert app.review.current.id != tagged.id
    run(go())


def test_disagreement_filter_and_other_reviewer_shown(sample_db):
    async def go():
        session_claim = None
        app = make_app(sample_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            session_claim = app.session.claims[1][0]
            # another process tags while the app runs
            subprocess.run([str(BIN / "claimdesk"), "tag", session_claim.id, "disputed", "--db",
                            str(sample_db), "--reviewer", "bob"], check=True, capture_output=True)
            await until(pilot, lambda: app.session.other_statuses(session_claim.id) == {"bob": "disputed"})
            app.review.jump_to(session_claim.id)
            await pilot.press("c")
            app.review.apply_filter(Filter("disagree"))
            await pilot.pause()
            assert app.review.current.id == session_claim.id
            assert app.session.set_filter(Filter("disagree")) == 1
            app.review.apply_filter(Filter("disagree"))
            info = str(app.review.query_one("#claim-info").render())
            assert "bob ✗ disputed" in info
            assert "bob" in str(app.review.query_one("#status").render())
    run(go())


# ----------------------------------------------------------------------------- evidence, side by side


def test_enter_jumps_to_linked_claim_in_other_article(sample_db):
    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            session = app.session
            claim = next(c for cs in session.claims for c in cs if session.links_of(c.id))
            app.review.jump_to(claim.id)
            await pilot.pause()
            target = app.review.query_one(EvidencePane).selected_link()
            assert target in {link.other_id for link in session.links_of(claim.id)}
            await pilot.press("enter")
            assert app.review.current.id == target
            assert session.article_of(app.review.current).id != claim.article_id
            # a click on a linked claim jumps too
            here = app.review.current
            first_link = app.review.query_one(EvidencePane).selected_link()
            assert first_link
            await pilot.click("#links", offset=(2, 1))
            await pilot.pause()
            assert app.review.current.id == first_link != here.id
    run(go())


def test_side_by_side_aligns_linked_claims(sample_db):
    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            session = app.session
            partners = session.linked_articles(0)
            assert partners
            selected = app.review.query_one(EvidencePane).selected_link()
            await pilot.press("s")
            await pilot.pause()
            assert app.screen.id == "side-by-side"
            # it opens on the article of the linked claim selected in the evidence pane
            if selected:
                assert app.screen.partners[app.screen.index] == session.claim_pos[selected][0]
            rows = app.screen.query(".pair.linked")
            assert len(rows) >= 1
            # each linked row: the left claim's link points at the right claim shown beside it
            right = session.articles[app.screen.partners[app.screen.index]]
            left_claims = session.claims[0]
            linked = [c for c in left_claims
                      if any(session.claim_pos.get(l.other_id, (-1,))[0] == session.article_pos[right.id]
                             for l in session.links_of(c.id))]
            # a right claim stands beside the first left claim linking to it (a headline and a lead of one
            # event may both link to it): at most one linked row per linked left claim
            assert 1 <= len(rows) <= len(linked)
            if len(partners) > 1:
                before = app.screen.index
                await pilot.press("tab")
                await pilot.pause()
                assert app.screen.index == (before + 1) % len(partners)
            await pilot.press("escape")
            assert app.screen.id == "review"
    run(go())


def test_boilerplate_toggle_shows_removed_with_reason(sample_db):
    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            session = app.session
            ai = next(i for i, a in enumerate(session.articles) if a.removed)
            app.review.go(ai, 0)
            view = app.review.query_one(ArticleView)
            assert not any("removed (" in line for line in view.lines_text())
            await pilot.press("b")
            shown = [line for line in view.lines_text() if "removed (" in line]
            reasons = {r.reason for r in session.articles[ai].removed}
            assert shown and any(f"({reason})" in " ".join(shown) for reason in reasons)
            await pilot.press("b")
            assert not any("removed (" in line for line in view.lines_text())
    run(go())


# ----------------------------------------------------------------------------- help, palette, export


def test_help_lists_every_bound_key_and_follows_a_keymap(sample_db):
    async def go():
        app = make_app(sample_db, keymap={"tag-disputed": "D"})
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            claim = app.review.current
            await pilot.press("D")
            assert app.session.status(claim.id) == "disputed"
            await pilot.press("question_mark")
            assert app.screen.id == "help"
            text = "\n".join(str(w.render()) for w in app.screen.query("Static"))
            for words in ("Tag corroborated (✓)", "Tag disputed (✗)", "Tag unsourced (?)", "Accept the suggestion",
                          "Next claim", "Previous claim", "Next article", "Previous article", "Next unreviewed",
                          "Clear my judgement", "Edit my note", "Undo", "Redo", "Search", "Filter claims",
                          "Side by side", "Export CSV", "boilerplate", "auto-advance", "Quit"):
                assert words in text
            lines = [line.split() for line in text.splitlines()]
            # the remapped key is the one shown, with the id to remap it by
            assert ["D", "Tag", "disputed", "(✗)", "tag-disputed"] in lines
            await pilot.press("escape")
            assert app.screen.id == "review"
    run(go())


def test_command_palette_runs_review_commands(sample_db):
    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            claim = app.review.current
            await pilot.press("ctrl+p")
            await pilot.press(*"Unsourced")
            await until(pilot, lambda: len(app.screen.query("CommandList Option, .option-list--option")) >= 0)
            await pilot.pause(0.3)
            await pilot.press("enter")
            await until(pilot, lambda: app.session.status(claim.id) == "unsourced")
    run(go())


def test_export_writes_csv_with_the_right_columns(sample_db, tmp_path):
    async def go():
        app = make_app(sample_db, export_dir=tmp_path)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            claim = app.review.current
            await pilot.press("c")
            await pilot.press("E")
            assert app.screen.id == "export"
            assert app.screen.query_one("#export-path").value == str(tmp_path / f"claimdesk-{REVIEWER}.csv")
            await pilot.press("enter")
            out = tmp_path / f"claimdesk-{REVIEWER}.csv"
            await until(pilot, out.exists)
            await app.workers.wait_for_complete()
            with out.open(newline="", encoding="utf-8") as f:
                rows = list(csv.DictReader(f))
            header = set(rows[0])
            assert {"claim_id", "status", "reviewer"} <= header
            mine = [r for r in rows if r["claim_id"] == claim.id and r["reviewer"] == REVIEWER]
            assert mine and mine[0]["status"] == "corroborated"
            return claim
    run(go())


# ----------------------------------------------------------------------------- no work lost


def test_quit_waits_for_pending_writes(sample_db):
    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            session = app.session
            ids = [c.id for c in session.claims[0][:3]]
            app.db_lock.acquire()  # the writer cannot write until we let go
            try:
                await pilot.press("c", "d", "u")
                assert app.writer.pending == 3
                assert all(status_in_db(sample_db, cid) is None for cid in ids)
            finally:
                asyncio.get_running_loop().call_later(0.3, app.db_lock.release)
            await pilot.press("q")
            await until(pilot, lambda: app.return_code is not None)
        assert app.finish() == []
        assert [status_in_db(sample_db, cid) for cid in ids] == ["corroborated", "disputed", "unsourced"]
    run(go())


def test_ctrl_c_quits_after_flushing(sample_db):
    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            claim = app.review.current
            await pilot.press("d", "ctrl+c")
            await until(pilot, lambda: app.return_code is not None)
        assert app.return_code == 0
        assert status_in_db(sample_db, claim.id) == "disputed"
    run(go())


def test_sighup_flushes_and_exits(sample_db):
    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            claim = app.review.current
            app.db_lock.acquire()
            await pilot.press("u")
            asyncio.get_running_loop().call_later(0.2, app.db_lock.release)
            os.kill(os.getpid(), signal.SIGHUP)
            await until(pilot, lambda: app.return_code is not None)
        assert app.return_code == 128 + signal.SIGHUP
        assert status_in_db(sample_db, claim.id) == "unsourced"
    run(go())


def test_failed_write_is_reported_kept_and_retried(sample_db):
    from claimdesk.store.database import shard_of

    async def go():
        app = make_app(sample_db)
        notices = record_notifications(app)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            claim = app.review.current
            db = Database.open(sample_db)
            shard = db._shard_file(shard_of(claim.id, db.shards))
            backup = shard.with_suffix(".bak")
            if shard.exists():
                shard.rename(backup)
            shard.mkdir()  # a folder where the shard file should be: every write fails
            try:
                await pilot.press("c")
                await until(pilot, lambda: app.save_state.startswith("⚠"))
                assert app.writer.pending == 1
                assert any("Could not save" in n for n in notices)
                assert app.session.status(claim.id) == "corroborated"  # the screen keeps it
            finally:
                shard.rmdir()
                if backup.exists():
                    backup.rename(shard)
            await until(pilot, lambda: app.writer.pending == 0)
            await pilot.pause()
            assert status_in_db(sample_db, claim.id) == "corroborated"
            assert app.save_state == "saved"
    run(go())


def test_other_process_tag_appears_after_polling(sample_db):
    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            claim = app.session.claims[0][0]
            subprocess.run([str(BIN / "claimdesk"), "tag", claim.id, "corroborated", "--db", str(sample_db),
                            "--reviewer", REVIEWER], check=True, capture_output=True)
            # my own name from another terminal: my judgement updates, counts too
            await until(pilot, lambda: app.session.status(claim.id) == "corroborated")
            assert app.session.reviewed[0] == 1
            view = app.review.query_one(ArticleView)
            assert "✓" in view._block_content(view._claim_block[0]).plain
    run(go())


def test_own_writes_do_not_trigger_a_reload_but_others_do(sample_db):
    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            await pilot.press("c", "d")
            await saved(pilot)
            reloads = app._reload_seq
            await pilot.pause(0.6)  # three polls
            assert app._reload_seq == reloads
            other = app.session.claims[2][0]
            Database.open(sample_db).tag(other.id, "unsourced", "carol")
            await until(pilot, lambda: app.session.other_statuses(other.id) == {"carol": "unsourced"})
            assert app._reload_seq > reloads
    run(go())


def test_a_tag_is_written_after_its_frame_and_saved_is_shown_only_once_it_is_on_disk(sample_db):
    """The screen shows a tag at once and holds its write until the frame showing it is drawn
    (the write does not hold up the screen); the status bar says "saving" until the judgement
    is in the database, and "saved" only then. A write held up (a slow disk, a lock) keeps
    "saving" in view: "saved" never stands for a judgement that is not on disk."""
    import threading

    async def go():
        app = make_app(sample_db)
        async with app.run_test(size=(120, 40)) as pilot:
            await ready(pilot)
            first = app.review.current
            assert app.apply_edit(first.id, status="disputed")  # what the key does, before any frame
            assert app.writer.held and app.writer.pending == 1 and status_in_db(sample_db, first.id) is None
            assert app.save_state.startswith("saving")
            await saved(pilot)
            assert status_in_db(sample_db, first.id) == "disputed"
            assert app.save_state == "saved" and "saved" in str(app.review.query_one("#status").render())

            gate = threading.Event()  # a store call that takes as long as the test wants
            apply = app.writer.apply
            app.writer.apply = lambda op: (gate.wait(10), apply(op))[1]
            await pilot.press("j")
            second = app.review.current
            assert second.id != first.id and status_in_db(sample_db, second.id) is None
            await pilot.press("c")
            await pilot.pause(0.3)  # long past the frame, and past the writer's longest hold
            assert app.session.status(second.id) == "corroborated"  # on screen at once
            status = str(app.review.query_one("#status").render())
            assert "saving 1" in status and "saved" not in status
            assert status_in_db(sample_db, second.id) is None
            gate.set()
            await saved(pilot)
            assert status_in_db(sample_db, second.id) == "corroborated"
            assert "saved" in str(app.review.query_one("#status").render())
    run(go())
