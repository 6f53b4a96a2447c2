"""Real processes on one database: many writers at once, and writers killed mid-write.

Both tests are heavy (thousands of fsynced writes); they share an xdist group so that under
`pytest -n 2 --dist loadgroup` they run on one worker, one after the other.
"""

from __future__ import annotations

import multiprocessing
import os
import random
import signal
import time
from pathlib import Path

import pytest

from claimdesk.extract.links import link_corpus
from claimdesk.extract.model import STATUSES
from claimdesk.store.database import Database
from claimdesk.store.doctor import check, restore
from store_fixtures import store_corpus_parts, store_db, store_db_template  # noqa: F401

PROCESSES = 8
TAGS_EACH = 500
SHARED = "shared"  # processes 6 and 7 write as the same reviewer


def _reviewer(p: int) -> str:
    return SHARED if p >= 6 else f"r{p}"


def _plan(p: int, claim_ids: list[str]) -> list[tuple[str, str, str]]:
    """The (claim, status, note) sequence process p writes: overlapping claims, deterministic."""
    rng = random.Random(p)
    return [(rng.choice(claim_ids), rng.choice(STATUSES), f"p{p}-{i}") for i in range(TAGS_EACH)]


def _load_worker(path: str, p: int, claim_ids: list[str], start) -> None:
    db = Database.open(Path(path))
    db.corpus()  # warm the claim check before the start line
    start.wait()
    for claim_id, status, note in _plan(p, claim_ids):
        db.tag(claim_id, status, _reviewer(p), note=note)


@pytest.mark.xdist_group("store-heavy")
def test_eight_processes_tagging_lose_nothing(store_db):
    claim_ids = [c.id for c in store_db.corpus().claims][:24]  # few claims: many collide in shards and keys
    ctx = multiprocessing.get_context("fork")
    start = ctx.Barrier(PROCESSES)
    procs = [ctx.Process(target=_load_worker, args=(str(store_db.path), p, claim_ids, start)) for p in range(PROCESSES)]
    for proc in procs:
        proc.start()
    for proc in procs:
        proc.join(timeout=240)
    assert [proc.exitcode for proc in procs] == [0] * PROCESSES

    db = Database.open(store_db.path)
    got = {(j.claim_id, j.reviewer): j for j in db.judgements(history=True)}
    expected_keys = set()
    for p in range(6):  # one process per reviewer: final status and history are exactly known
        per_claim: dict[str, list[tuple[str, str]]] = {}
        for claim_id, status, note in _plan(p, claim_ids):
            per_claim.setdefault(claim_id, []).append((status, note))
        for claim_id, changes in per_claim.items():
            expected_keys.add((claim_id, _reviewer(p)))
            j = got[(claim_id, _reviewer(p))]
            assert (j.status, j.note) == changes[-1]
            assert [(c.status, c.note) for c in j.history] == changes
    # two processes as one reviewer: every change of both is there, in each process' own order,
    # and the current value is the last change
    shared_notes: dict[str, list[str]] = {}
    for j in (j for key, j in got.items() if key[1] == SHARED):
        expected_keys.add((j.claim_id, SHARED))
        assert (j.status, j.note) == (j.history[-1].status, j.history[-1].note)
        shared_notes[j.claim_id] = [c.note for c in j.history]
    for p in (6, 7):
        mine: dict[str, list[str]] = {}
        for claim_id, _status, note in _plan(p, claim_ids):
            mine.setdefault(claim_id, []).append(note)
        for claim_id, notes in mine.items():
            assert [n for n in shared_notes[claim_id] if n.startswith(f"p{p}-")] == notes
    assert sum(len(v) for v in shared_notes.values()) == 2 * TAGS_EACH
    assert set(got) == expected_keys
    assert sum(len(j.history) for j in got.values()) == PROCESSES * TAGS_EACH
    assert check(db.path).ok


def _crash_writer(db: Database, run: int, claim_ids: list[str], ack_path: str) -> None:
    ack = os.open(ack_path, os.O_WRONLY | os.O_APPEND | os.O_CREAT, 0o600)
    rng = random.Random(run)
    i = 0
    while True:
        claim_id = rng.choice(claim_ids)
        note = f"w{run}-{i}"
        if i % 4 == 3:
            db.set_note(claim_id, "crash", note)
        else:
            db.tag(claim_id, rng.choice(STATUSES), "crash", note=note)
        # acknowledged only once the call returned; one write(2), so it survives SIGKILL
        os.write(ack, f"{claim_id} {note}\n".encode())
        i += 1


@pytest.mark.xdist_group("store-heavy")
def test_writer_killed_at_random_moments_loses_no_acknowledged_write(store_db, tmp_path):
    claim_ids = [c.id for c in store_db.corpus().claims][:40]
    ack_path = tmp_path / "acks.txt"
    ctx = multiprocessing.get_context("fork")
    rng = random.Random(20261122)
    store_db.corpus()  # the forked writers inherit the opened database: they start writing at once
    # At least 200 kills, and on until the writers got 50 writes acknowledged between kills (a
    # loaded machine needs more kills for that; the count, not the time, is what is asserted).
    acked: list[str] = []
    run = -1
    while run < 199 or (len(acked) <= 50 and run < 2000):
        run += 1
        proc = ctx.Process(target=_crash_writer, args=(store_db, run, claim_ids, str(ack_path)))
        proc.start()
        time.sleep(rng.uniform(0.0, 0.06))
        os.kill(proc.pid, signal.SIGKILL)
        proc.join()
        assert proc.exitcode == -signal.SIGKILL

        db = Database.open(store_db.path)  # always loads
        db.corpus()
        notes = {}
        for j in db.judgements(history=True):
            notes.setdefault(j.claim_id, set()).update(c.note for c in j.history)
        acked = ack_path.read_text().splitlines() if ack_path.exists() else []
        for line in acked:
            claim_id, note = line.split()
            assert note in notes.get(claim_id, ()), f"run {run}: acknowledged {note} on {claim_id} is lost"
    acked = ack_path.read_text().splitlines()
    assert len(acked) > 50  # the writers did get work done between the kills (most kills land mid-write)
    report = check(store_db.path)
    assert report.ok, [str(f) for f in report.findings]
    restore(store_db.path)  # sweeps temp files of killed writers
    assert not [f for f in check(store_db.path).findings if f.level != "ok"]


def _ingest_worker(db: Database, articles, claims) -> None:
    db.ingest(articles, claims, link_corpus)


@pytest.mark.xdist_group("store-heavy")
def test_ingest_killed_leaves_old_or_new_corpus(tmp_path, store_corpus_parts):
    articles, claims = store_corpus_parts
    db = Database.open(tmp_path / "db", create=True)
    db.ingest(articles[:2], claims, link_corpus)
    old_ids = [c.id for c in db.corpus().claims]
    old_links = db.corpus().linkage.links
    started = time.perf_counter()
    probe = Database.open(tmp_path / "probe", create=True)
    probe.ingest(articles, claims, link_corpus)
    new_ids = [c.id for c in probe.corpus().claims]
    new_links = probe.corpus().linkage.links
    assert old_links != new_links
    took = time.perf_counter() - started
    ctx = multiprocessing.get_context("fork")
    rng = random.Random(7)
    for run in range(12):
        proc = ctx.Process(target=_ingest_worker, args=(db, articles, claims))
        proc.start()
        time.sleep(rng.uniform(0.0, took * 1.3))
        os.kill(proc.pid, signal.SIGKILL)
        proc.join()
        corpus = Database.open(db.path).corpus()
        ids = [c.id for c in corpus.claims]
        assert ids in (old_ids, new_ids)
        # corpus.json and its links file are a pair: the old corpus with the old links, or the new with the new
        assert corpus.linkage.links == (old_links if ids == old_ids else new_links)
        report = check(db.path)
        assert report.ok, [str(f) for f in report.findings]
        assert report.bad_links is None
        if ids == new_ids:  # finished before the kill: start again from the old corpus
            db = Database.open(tmp_path / f"db-{run}", create=True)
            db.ingest(articles[:2], claims, link_corpus)
    assert check(db.path).ok
