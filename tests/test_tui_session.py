"""The review screen's state without the screen: moves, filters, search, merging, the save queue."""

from __future__ import annotations

import subprocess
import sys
import threading
from pathlib import Path

from claimdesk.store.database import Database, shard_of
from claimdesk.tui.review_state import Filter, Mine, ReviewSession
from claimdesk.tui.save_queue import Op, Writer, ops_for

ROOT = Path(__file__).resolve().parent.parent


def load(db_path: Path, reviewer: str = "ana") -> ReviewSession:
    return ReviewSession.load(Database.open(db_path), reviewer)


def flat(session: ReviewSession) -> list[tuple[int, int]]:
    return [(ai, ci) for ai, cs in enumerate(session.claims) for ci in range(len(cs))]


def test_index_matches_the_corpus(sample_db):
    session = load(sample_db)
    corpus = Database.open(sample_db).corpus()
    assert session.total == len(corpus.claims)
    for article, claims in zip(session.articles, session.claims):
        assert [c.id for c in claims] == [c.id for c in corpus.claims_of(article.id)]
        for c in claims:
            assert article.text[c.start:c.end] == c.text
    assert all(session.family(a.id)[0] != "-" for a in session.articles)


def test_j_k_walk_every_claim_in_order_and_stop_at_the_ends(sample_db):
    session = load(sample_db)
    order = flat(session)
    pos = order[0]
    walked = [pos]
    while (nxt := session.next_claim(*pos, 1)) is not None:
        walked.append(nxt)
        pos = nxt
    assert walked == order
    assert session.next_claim(*order[0], -1) is None
    back = session.next_claim(*order[-1], -1)
    assert back == order[-2]


def test_next_unreviewed_skips_judged_and_wraps(sample_db):
    session = load(sample_db)
    order = flat(session)
    for ai, ci in order[1:4]:
        session.set_local(session.claims[ai][ci].id, "corroborated")
    assert session.next_unreviewed(*order[0], 1) == order[4]
    assert session.reviewed_total == 3
    # from the last claim it wraps to the first unreviewed
    assert session.next_unreviewed(*order[-1], 1) == order[0]
    for ai, ci in order:
        session.set_local(session.claims[ai][ci].id, "disputed")
    assert session.next_unreviewed(*order[0], 1) is None
    assert session.reviewed_total == session.total
    session.set_local(session.claims[order[5][0]][order[5][1]].id, "")
    assert session.next_unreviewed(*order[0], 1) == order[5]
    assert session.next_unreviewed(*order[0], -1) == order[5]


def test_filters_and_search(sample_db):
    session = load(sample_db)
    quotes = [c.id for cs in session.claims for c in cs if c.kind == "quote"]
    assert session.set_filter(Filter("kind", "quote")) == len(quotes)
    pos = next((ai, ci) for ai, ci in flat(session) if session.claims[ai][ci].kind == "quote")
    seen = [session.claims[pos[0]][pos[1]].id]
    while (pos := session.next_claim(*pos, 1)) is not None:
        seen.append(session.claims[pos[0]][pos[1]].id)
    assert seen == quotes
    assert session.visible_articles() == [i for i, cs in enumerate(session.claims) if any(c.kind == "quote" for c in cs)]
    session.set_filter(Filter())
    # search: case-insensitive, from the cursor on, wrapping
    hits = [(ai, ci) for ai, ci in flat(session) if "kursk" in session.claims[ai][ci].text.lower()]
    assert len(hits) >= 2
    assert session.search(*hits[0], "KURSK") == hits[1]
    assert session.search(*hits[-1], "kursk") == hits[0]
    assert session.search(0, 0, "no such words anywhere") is None


def test_adopt_keeps_claims_with_writes_in_flight(sample_db):
    db = Database.open(sample_db)
    session = load(sample_db)
    a, b = session.claims[0][0].id, session.claims[0][1].id
    db.tag(a, "disputed", "ana")
    db.tag(b, "unsourced", "bob")
    session.set_local(a, "corroborated")  # on screen, not yet saved
    session.adopt(session.digest(db.judgements()), skip={a})
    assert session.status(a) == "corroborated"
    assert session.other_statuses(b) == {"bob": "unsourced"}
    assert session.reviewed[0] == 1
    assert [r for r, _n, _t in session.activity] == ["bob"]
    session.adopt(session.digest(db.judgements()))
    assert session.status(a) == "disputed"
    session.set_local(b, "corroborated")
    assert session.disagrees(b) and not session.disagrees(a)


def test_ops_for_each_kind_of_change():
    assert ops_for("c1", Mine(), Mine("disputed", "")) == [Op("tag", "c1", "disputed")]
    assert ops_for("c1", Mine("disputed", "x"), Mine("", "x")) == [Op("untag", "c1")]
    assert ops_for("c1", Mine("disputed", ""), Mine("disputed", "why")) == [Op("note", "c1", note="why")]
    assert ops_for("c1", Mine("", "a"), Mine("unsourced", "b")) == [
        Op("tag", "c1", "unsourced"), Op("note", "c1", note="b")]
    assert ops_for("c1", Mine("x", "y"), Mine("x", "y")) == []


def test_writer_keeps_a_failed_write_and_retries_it_while_other_claims_are_saved(sample_db):
    """A write that fails for a passing reason (its shard is unreadable) stays queued and is
    retried; the changes to the same claim wait behind it (order matters), other claims' go on."""
    db = Database.open(sample_db)
    session = load(sample_db)
    ids = [c.id for cs in session.claims for c in cs]
    first = ids[0]
    second = next(c for c in ids if shard_of(c, db.shards) != shard_of(first, db.shards))
    shard = db.shard_files()[shard_of(first, db.shards)]
    if shard.exists():
        shard.rename(shard.with_suffix(".bak"))
    shard.mkdir()
    errors: list[str] = []
    done: list[tuple[str, str]] = []
    writer = Writer(db, "ana", threading.RLock(), on_done=lambda op, r: done.append((op.claim_id, op.kind)),
                    on_error=lambda op, e: errors.append(op.claim_id), retry_delay=0.02)
    writer.start()
    try:
        writer.submit([Op("tag", first, "disputed"), Op("note", first, note="why"), Op("tag", second, "corroborated")])
        assert writer.flush(timeout=0.5) is False  # the first claim cannot land while its shard is broken
        assert errors and set(errors) == {first}  # retried; its note never tried before it
        assert done == [(second, "tag")]  # not blocked by it
        assert [(op.claim_id, op.kind) for op in writer.pending_ops()] == [(first, "tag"), (first, "note")]
        assert writer.set_aside() == []  # a passing failure is never set aside
        shard.rmdir()
        if shard.with_suffix(".bak").exists():
            shard.with_suffix(".bak").rename(shard)
        assert writer.flush(timeout=5)
        assert done == [(second, "tag"), (first, "tag"), (first, "note")]
    finally:
        writer.close(1)
    assert (db.judgement(first, "ana").status, db.judgement(first, "ana").note) == ("disputed", "why")
    assert db.judgement(second, "ana").status == "corroborated"


def test_writer_sets_aside_a_write_that_can_never_succeed_and_goes_on(sample_db):
    """A tag on a claim that is not in the corpus (re-ingested away) can never be saved: it is
    reported once, taken out of the queue, and the writes behind it are saved at once."""
    db = Database.open(sample_db)
    session = load(sample_db)
    good = session.claims[0][0].id
    gone = "c000000000000"  # no such claim
    errors: list[str] = []
    aside: list[str] = []
    done: list[str] = []
    writer = Writer(db, "ana", threading.RLock(), on_done=lambda op, r: done.append(op.claim_id),
                    on_error=lambda op, e: errors.append(op.claim_id),
                    on_set_aside=lambda op, e: aside.append(op.claim_id), retry_delay=0.02)
    writer.start()
    try:
        writer.submit([Op("tag", gone, "disputed"), Op("tag", good, "corroborated")])
        assert writer.flush(timeout=5)
    finally:
        writer.close(1)
    assert aside == [gone] and errors == [] and done == [good]
    (kept,) = writer.set_aside()
    assert kept.op.claim_id == gone and kept.op.status == "disputed" and "unknown claim" in kept.reason
    assert writer.pending_ops() == []
    assert db.judgement(good, "ana").status == "corroborated"
    assert db.judgement(gone, "ana") is None


def test_start_up_without_paths_never_imports_spacy(sample_db):
    code = f"""
import asyncio, sys
sys.path.insert(0, {str(ROOT / 'tests')!r})
from tui_fixtures import make_app, ready
from pathlib import Path
async def main():
    app = make_app(Path({str(sample_db)!r}))
    async with app.run_test() as pilot:
        await ready(pilot)
        await pilot.press("j", "c")
        assert app.session.total > 0
asyncio.run(main())
print("spacy" in sys.modules)
"""
    result = subprocess.run([sys.executable, "-c", code], cwd=ROOT, capture_output=True, text=True, timeout=120)
    assert result.returncode == 0, result.stderr
    assert result.stdout.strip().splitlines()[-1] == "False"


def test_own_change_tells_one_file_from_several():
    from claimdesk.tui.save_queue import own_change

    before = (("j-000.json", 1, 10, 5), ("j-001.json", 2, 10, 5))
    one = (("j-000.json", 1, 11, 6), ("j-001.json", 2, 10, 5))
    two = (("j-000.json", 1, 11, 6), ("j-001.json", 2, 12, 7))
    assert own_change(before, one)
    assert not own_change(before, two)
    assert not own_change(None, one)


def test_partial_reads_digest_to_the_same_state_as_full_reads(sample_db, tmp_path):
    """The poll's partial read (shards written since the last read) gives exactly what a full
    re-read gives: my statuses and notes, the others' statuses, counts and activity."""
    import random
    import shutil

    folder = tmp_path / "db"
    shutil.copytree(sample_db, folder)
    db = Database.open(folder)
    partial = load(folder)
    token = db.judgements_token()
    ids = [c.id for cs in partial.claims for c in cs]
    rng = random.Random(7)
    for round_ in range(12):
        for _ in range(rng.randint(1, 6)):
            cid, who = rng.choice(ids[:25]), rng.choice(["ana", "bob", "cy"])
            action = rng.random()
            if action < 0.6:
                db.tag(cid, rng.choice(["corroborated", "disputed", "unsourced"]), who)
            elif action < 0.8:
                db.untag(cid, who)
            else:
                db.set_note(cid, who, f"note {round_}")
        token, upserts = db.judgements_since(token)
        assert upserts  # something was written
        partial.adopt(partial.digest_upserts(upserts))
        full = load(folder)
        assert partial.mine == full.mine
        assert {k: v for k, v in partial.others.items() if v} == {k: v for k, v in full.others.items() if v}
        assert partial.reviewed == full.reviewed and partial.reviewed_total == full.reviewed_total
        assert partial.activity == full.activity
        assert [partial.disagrees(c) for c in ids] == [full.disagrees(c) for c in ids]


def test_writer_holds_a_change_until_released_and_no_longer_than_max_hold_or_a_flush(sample_db):
    """A held change is queued at once (pending: it goes to the recovery file on any way out) but
    written only at release(), at a flush, or max_hold seconds later at the latest."""
    db = Database.open(sample_db)
    ids = [c.id for cs in load(sample_db).claims for c in cs]
    done: list[str] = []
    writer = Writer(db, "ana", threading.RLock(), on_done=lambda op, r: done.append(op.claim_id), max_hold=30)
    writer.start()
    try:
        writer.submit([Op("tag", ids[0], "disputed")], hold=True)
        assert writer.held and writer.pending == 1
        assert [op.claim_id for op in writer.pending_ops()] == [ids[0]]
        assert writer.flush(timeout=5)  # a flush writes it at once...
        assert done == [ids[0]] and db.judgement(ids[0], "ana").status == "disputed"
        writer.submit([Op("tag", ids[1], "unsourced")], hold=True)
        threading.Event().wait(0.2)
        assert done == [ids[0]] and db.judgement(ids[1], "ana") is None  # ... held: not written yet
        writer.release()
        assert writer.flush(timeout=5) and done == [ids[0], ids[1]]
        writer.max_hold = 0.1
        writer.submit([Op("tag", ids[2], "corroborated")], hold=True)  # never released
        for _ in range(100):
            if len(done) == 3:
                break
            threading.Event().wait(0.05)
        assert done == [ids[0], ids[1], ids[2]]  # written after max_hold without a release or flush
    finally:
        writer.close(1)
    assert db.judgement(ids[2], "ana").status == "corroborated"
