"""The database folder: opening, refusing, ingest merging, judgements and their history, schema."""

from __future__ import annotations

import dataclasses
import os
import pwd
import shutil
import stat
import subprocess
import sys
from pathlib import Path

import orjson
import pytest
from tinydb import TinyDB

from claimdesk.extract.links import link_corpus
from claimdesk.extract.model import STATUSES, Claim, from_dict
from claimdesk.store.database import (
    CORPUS_FILE,
    SCHEMA_VERSION,
    Database,
    DatabaseError,
    LockTimeout,
    UnknownClaim,
)
from claimdesk.store.storage import AtomicJSONStorage
from store_fixtures import article_from_text, claims_of, store_corpus_parts, store_db, store_db_template  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
V1_FIXTURE = ROOT / "tests" / "fixtures" / "store_v1"


@pytest.fixture
def corpus_parts(store_corpus_parts):
    return store_corpus_parts


@pytest.fixture
def db(store_db) -> Database:
    return store_db


def mode(path: Path) -> int:
    return stat.S_IMODE(os.stat(path).st_mode)


# ------------------------------------------------------------------ opening and refusing


def test_open_missing_without_create_names_the_path(tmp_path):
    with pytest.raises(DatabaseError) as err:
        Database.open(tmp_path / "nope.db")
    assert str(tmp_path / "nope.db") in str(err.value)
    assert "\n" not in str(err.value)
    assert not (tmp_path / "nope.db").exists()


def test_create_makes_a_private_folder(tmp_path):
    old = os.umask(0o022)
    try:
        d = Database.open(tmp_path / "x.db", create=True)
    finally:
        os.umask(old)
    assert d.path.is_dir()
    assert mode(d.path) == 0o700
    assert mode(d.path / CORPUS_FILE) == 0o600
    assert Database.open(d.path).corpus().claims == []


def test_permissions_private_0600(db):
    claim = db.corpus().claims[0]
    db.tag(claim.id, "disputed", "ana")
    files = [p for p in db.path.rglob("*") if p.is_file()]
    assert files
    for p in files:
        assert mode(p) == 0o600, p
    for p in [db.path, *[p for p in db.path.rglob("*") if p.is_dir()]]:
        assert mode(p) == 0o700, p


def test_permissions_group_shared_0660(tmp_path, corpus_parts):
    old = os.umask(0o077)  # a strict umask must not narrow a shared database
    try:
        d = Database.open(tmp_path / "team.db", create=True, group_shared=True)
        articles, claims = corpus_parts
        d.ingest(articles[:2], claims, link_corpus)
        d.tag(d.corpus().claims[0].id, "corroborated", "ana")
    finally:
        os.umask(old)
    for p in d.path.rglob("*"):
        if p.is_file():
            assert mode(p) == 0o660, p
        else:
            assert mode(p) == 0o2770, p
    assert mode(d.path) == 0o2770
    assert Database.open(d.path).group_shared


def test_file_where_the_folder_should_be(tmp_path):
    f = tmp_path / "claimdesk.db"
    f.write_text("my thesis", encoding="utf-8")
    with pytest.raises(DatabaseError, match="is a file"):
        Database.open(f, create=True)
    assert f.read_text(encoding="utf-8") == "my thesis"


def test_folder_of_other_files_is_refused(tmp_path):
    folder = tmp_path / "photos"
    folder.mkdir()
    (folder / "cat.jpg").write_bytes(b"\xff\xd8")
    with pytest.raises(DatabaseError, match="not a claimdesk database"):
        Database.open(folder, create=True)
    assert sorted(p.name for p in folder.iterdir()) == ["cat.jpg"]


def test_corrupt_corpus_is_refused_and_not_overwritten(db, corpus_parts):
    file = db.path / CORPUS_FILE
    good = file.read_bytes()
    broken = good[: len(good) // 2]
    file.write_bytes(broken)
    with pytest.raises(DatabaseError) as err:
        Database.open(db.path, create=True)
    assert str(file) in str(err.value) and "corrupt" in str(err.value)
    with pytest.raises(DatabaseError):
        db.ingest(*corpus_parts, link_corpus)
    assert file.read_bytes() == broken


def test_foreign_json_is_refused(tmp_path):
    folder = tmp_path / "db"
    folder.mkdir()
    (folder / CORPUS_FILE).write_text('{"_default": {"1": {"name": "tinydb of someone else"}}}')
    with pytest.raises(DatabaseError, match="not a claimdesk database"):
        Database.open(folder, create=True)


def test_corrupt_shard_is_refused_not_overwritten(db):
    claim = db.corpus().claims[0]
    db.tag(claim.id, "disputed", "ana")
    shard = next((db.path / "judgements").glob("j-*.json"))
    shard.write_bytes(b'{"judgements": {"1": {"claim_id": ')
    with pytest.raises(DatabaseError, match="corrupt"):
        db.judgements()
    with pytest.raises(DatabaseError, match=str(shard.name)):
        db.tag(claim.id, "unsourced", "ana")
    assert shard.read_bytes() == b'{"judgements": {"1": {"claim_id": '


def test_newer_schema_is_refused(db):
    file = db.path / CORPUS_FILE
    data = orjson.loads(file.read_bytes())
    data["meta"]["1"]["schema_version"] = SCHEMA_VERSION + 1
    file.write_bytes(orjson.dumps(data))
    before = file.read_bytes()
    with pytest.raises(DatabaseError) as err:
        Database.open(db.path)
    assert f"schema version {SCHEMA_VERSION + 1}" in str(err.value)
    assert "upgrade claimdesk" in str(err.value)
    assert file.read_bytes() == before


def test_files_are_tinydb_files(db):
    """The layout is TinyDB's: a stock TinyDB opens every file."""
    claim = db.corpus().claims[0]
    db.tag(claim.id, "disputed", "ana", note="n")
    with TinyDB(db.path / CORPUS_FILE, storage=AtomicJSONStorage) as t:
        assert t.table("meta").all()[0]["schema_version"] == SCHEMA_VERSION
        (columns,) = t.table("claims").all()  # schema 4: one document of columns
        assert columns["id"] == [c.id for c in db.corpus().claims]
        assert {r["id"] for r in t.table("articles").all()} == {a.id for a in db.corpus().articles}
    shard = next((db.path / "judgements").glob("j-*.json"))
    with TinyDB(shard, storage=AtomicJSONStorage) as t:
        rows = t.table("judgements").all()
    assert [(r["claim_id"], r["reviewer"], r["status"], r["changes"]) for r in rows] == [(claim.id, "ana", "disputed", 1)]
    # and the change itself is a line of the shard's history log
    log = shard.with_name(shard.name.replace("j-", "h-").replace(".json", ".jsonl"))
    [line] = log.read_bytes().splitlines()
    assert orjson.loads(line)[:3] == [claim.id, "ana", 1] and orjson.loads(line)[5:] == ["disputed", "n", "tag", pwd.getpwuid(os.geteuid()).pw_name]


# ------------------------------------------------------------------ migration


def test_v1_database_is_migrated(tmp_path):
    folder = tmp_path / "old.db"
    shutil.copytree(V1_FIXTURE, folder)
    v1 = orjson.loads((folder / CORPUS_FILE).read_bytes())
    assert v1["meta"]["1"]["schema_version"] == 1
    flat = list(v1["judgements"].values())

    db = Database.open(folder)

    assert db.meta["schema_version"] == SCHEMA_VERSION
    assert (folder / f"{CORPUS_FILE}.v1").read_bytes() == (V1_FIXTURE / CORPUS_FILE).read_bytes()
    corpus = db.corpus()
    assert len(corpus.articles) == len(v1["articles"]) == 3
    assert [c.id for c in corpus.claims] == [r["id"] for r in v1["claims"].values()]
    # the schema-1 rows (plain as_dict form, nested dicts) come back as the same data classes
    assert list(corpus.claims) == [from_dict(Claim, r) for r in v1["claims"].values()]
    assert any(c.quantities for c in corpus.claims)
    assert all(isinstance(q.value, float) for c in corpus.claims for q in c.quantities)
    got = {(j.claim_id, j.reviewer): j for j in db.judgements(history=True)}
    assert set(got) == {(r["claim_id"], r["reviewer"]) for r in flat}
    for r in flat:
        j = got[(r["claim_id"], r["reviewer"])]
        assert (j.status, j.note, j.updated, j.created) == (r["status"], r["note"], r["updated"], r["updated"])
        assert [(c.action, c.status, c.note) for c in j.history] == [("migrate", r["status"], r["note"])]
    assert "judgements" not in orjson.loads((folder / CORPUS_FILE).read_bytes())
    # the migrated database works as a new one
    db.tag(flat[0]["claim_id"], "unsourced", "ana")
    assert [c.action for c in db.judgement(flat[0]["claim_id"], "ana").history] == ["migrate", "tag"]
    assert Database.open(folder).meta["schema_version"] == SCHEMA_VERSION


# ------------------------------------------------------------------ ingest


def test_ingest_merges_unchanged_changed_new(tmp_path, corpus_parts):
    articles, claims = corpus_parts
    db = Database.open(tmp_path / "db", create=True)
    first = db.ingest(articles[:3], claims, link_corpus)
    assert (first.articles_new, first.articles_changed, first.articles_unchanged) == (3, 0, 0)
    assert first.claims_added == sum(len(claims[a.id]) for a in articles[:3])

    target = articles[1]
    victim = claims[target.id][0]
    db.tag(victim.id, "disputed", "ana", note="kept even if the claim goes")
    corpus_before = (db.path / CORPUS_FILE).read_bytes()

    again = db.ingest(articles[:3], claims, link_corpus)  # nothing new: nothing written
    assert (again.articles_new, again.articles_changed, again.articles_unchanged) == (0, 0, 3)
    assert (db.path / CORPUS_FILE).read_bytes() == corpus_before

    # article 1 edited: its first sentence is gone
    edited_text = target.text.replace(victim.text, "")
    edited = article_from_text(target.source, edited_text)
    assert edited.id == target.id and edited.digest != target.digest
    new_claims = {edited.id: claims_of(edited)}
    result = db.ingest([edited, articles[3]], {**claims, **new_claims}, link_corpus)
    assert (result.articles_new, result.articles_changed, result.articles_unchanged) == (1, 1, 0)
    assert result.claims_removed >= 1
    assert [(j.claim_id, j.reviewer) for j in result.orphaned] == [(victim.id, "ana")]

    corpus = db.corpus()
    assert victim.id not in corpus
    assert [a.source for a in corpus.articles] == sorted(a.source for a in articles[:4])
    assert {c.id for c in corpus.claims_of(target.id)} == {c.id for c in new_claims[target.id]}
    # the orphaned judgement is kept, history and all, and still editable
    kept = db.judgement(victim.id, "ana")
    assert kept is not None and kept.note == "kept even if the claim goes"
    assert db.set_note(victim.id, "ana", "claim removed upstream").note == "claim removed upstream"
    assert [(j.claim_id) for j in db.orphaned()] == [victim.id]


def test_corpus_order_and_helpers(db, corpus_parts):
    corpus = db.corpus()
    sources = [a.source for a in corpus.articles]
    assert sources == sorted(sources)
    order = {a.id: i for i, a in enumerate(corpus.articles)}
    keys = [(order[c.article_id], c.start) for c in corpus.claims]
    assert keys == sorted(keys)
    for c in corpus.claims:
        article = corpus.article(c.article_id)
        assert article.text[c.start : c.end] == c.text
        assert corpus.claim(c.id) == c
    articles, claims = corpus_parts
    for a in articles:
        assert sorted(c.id for c in corpus.claims_of(a.id)) == sorted(c.id for c in claims[a.id])
    # every link of the linker is reachable from its claim
    for link in corpus.linkage.links:
        assert link in corpus.links_of(link.claim_id)
    assert set(corpus.linkage.suggestions) == {c.id for c in corpus.claims}
    # what comes back equals what went in, nested values included
    assert {c.id: c for c in corpus.claims} == {c.id: c for cs in claims.values() for c in cs}
    assert corpus.claim("c-nope") is None


def test_failed_ingest_writes_nothing(db, corpus_parts):
    articles, claims = corpus_parts
    before = {p: p.read_bytes() for p in db.path.rglob("*") if p.is_file()}
    extra = article_from_text("zzz_new.txt", "A new title\nThe army said 5,000 men joined on Monday this week.")
    bad = Claim(id="cbad", article_id=extra.id, start=0, end=5, text="A new", kind="event", lemmas=(object(),))
    with pytest.raises(TypeError):
        db.ingest([extra], {extra.id: [bad]}, link_corpus)
    after = {p: p.read_bytes() for p in db.path.rglob("*") if p.is_file()}
    assert after == before  # no temp file left, nothing changed
    assert len(db.corpus().articles) == len(articles)


# ------------------------------------------------------------------ judgements


def test_tag_retag_note_untag_keep_the_whole_history(db):
    claim = db.corpus().claims[2]
    j1 = db.tag(claim.id, "disputed", "ana", note="TASS only")
    j2 = db.tag(claim.id, "corroborated", "ana")  # note None: keep the old note
    assert j2.note == "TASS only" and j2.status == "corroborated"
    j3 = db.set_note(claim.id, "ana", "two sources\nagree")
    assert j3.status == "corroborated" and j3.note == "two sources\nagree"
    j4 = db.tag(claim.id, "corroborated", "ana", note="")  # clearing the note is a change too
    j5 = db.untag(claim.id, "ana")
    assert j5.status == "" and j5.note == ""
    assert db.untag(claim.id, "ana") == j5  # nothing to clear: nothing recorded
    got = db.judgement(claim.id, "ana")
    assert j5.history is None and dataclasses.replace(got, history=None) == j5  # tag returns the values only
    assert [(c.action, c.status, c.note) for c in got.history] == [
        ("tag", "disputed", "TASS only"),
        ("tag", "corroborated", "TASS only"),
        ("note", "corroborated", "two sources\nagree"),
        ("tag", "corroborated", ""),
        ("untag", "", ""),
    ]
    assert got.created == j1.created == got.history[0].at
    assert got.updated == got.history[-1].at >= j4.updated
    assert all(c.reviewer == "ana" for c in got.history)
    assert all(c.at.endswith("+00:00") for c in got.history)  # UTC, ISO 8601


def test_reviewers_are_kept_apart(db):
    a, b = db.corpus().claims[:2]
    db.tag(a.id, "disputed", "ana")
    db.tag(a.id, "corroborated", "ben")
    db.tag(b.id, "unsourced", "ben")
    assert {(j.claim_id, j.status) for j in db.judgements("ben")} == {(a.id, "corroborated"), (b.id, "unsourced")}
    assert [(j.claim_id, j.status) for j in db.judgements("ana")] == [(a.id, "disputed")]
    assert sorted((j.reviewer, j.status) for j in db.history(a.id)) == [("ana", "disputed"), ("ben", "corroborated")]
    assert db.judgement(b.id, "ana") is None
    assert db.untag(b.id, "ana") is None


def test_unknown_claim_and_bad_status(db):
    with pytest.raises(UnknownClaim, match="c000000000000"):
        db.tag("c000000000000", "disputed", "ana")
    with pytest.raises(DatabaseError, match="unknown status"):
        db.tag(db.corpus().claims[0].id, "maybe", "ana")
    with pytest.raises(DatabaseError, match="reviewer"):
        db.tag(db.corpus().claims[0].id, "disputed", "  ")
    assert db.judgements() == []


def test_strings_are_sanitised_newlines_kept(db):
    claim = db.corpus().claims[0]
    hostile = "line one\r\nline \x1b[31mtwo\x1b[0m\u202e evil\x07\nthree \u200fRTL"
    j = db.tag(claim.id, "disputed", "ana\x1b]0;pwned\x07", note=hostile)
    assert j.reviewer == "ana"
    assert j.note == "line one\nline two evil\nthree RTL"
    assert db.judgement(claim.id, "ana").note == j.note


def test_token_changes_on_every_write(db):
    claim = db.corpus().claims[0]
    seen = {db.judgements_token()}
    for status in STATUSES * 3:
        db.tag(claim.id, status, "ana")
        token = db.judgements_token()
        assert token not in seen
        seen.add(token)
    assert db.judgements_token() == db.judgements_token()
    other = Database.open(db.path)  # another process' view sees the same token
    assert other.judgements_token() == db.judgements_token()


def test_lock_timeout_says_so_and_writes_nothing(db):
    claim = db.corpus().claims[0]
    db.tag(claim.id, "disputed", "ana")
    shard = db._shard_name(__import__("claimdesk.store.database", fromlist=["shard_of"]).shard_of(claim.id, db.shards))
    lock_file = db.path / "locks" / f"{shard}.lock"
    holder = subprocess.Popen(
        [
            sys.executable,
            "-c",
            "import sys, time, filelock; l = filelock.FileLock(sys.argv[1]); l.acquire(); "
            "print('held', flush=True); time.sleep(30)",
            str(lock_file),
        ],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert holder.stdout.readline().strip() == "held"
        db.lock_timeout, db.lock_attempts = 0.2, 2
        script = (
            "import sys; from claimdesk.store.database import Database, LockTimeout\n"
            "db = Database.open(sys.argv[1]); db.lock_timeout, db.lock_attempts = 0.2, 2\n"
            "try:\n    db.tag(sys.argv[2], 'unsourced', 'ana')\n"
            "except LockTimeout as e:\n    print('timeout:', e); sys.exit(3)\n"
        )
        proc = subprocess.run(
            [sys.executable, "-c", script, str(db.path), claim.id], capture_output=True, text=True, cwd=ROOT
        )
        assert proc.returncode == 3, proc.stderr
        assert proc.stderr.count("still locked") == 2
        assert "attempt 1/2; retrying" in proc.stderr
        assert "nothing was written" in proc.stdout
        with pytest.raises(LockTimeout):
            db.tag(claim.id, "unsourced", "ana")
    finally:
        holder.kill()
        holder.wait()
    assert db.judgement(claim.id, "ana").status == "disputed"
    assert db.tag(claim.id, "unsourced", "ana").status == "unsourced"  # free again


def test_judgements_since_gives_the_changed_shards_only(db):
    claims = db.corpus().claims
    token0 = db.judgements_token()
    token1, changed = db.judgements_since(token0)
    assert changed == [] and token1 == token0
    j = db.tag(claims[0].id, "disputed", "ana")
    token2, changed = db.judgements_since(token1)
    assert j in changed and token2 != token1
    assert {(x.claim_id, x.reviewer) for x in changed} <= {(x.claim_id, x.reviewer) for x in db.judgements()}
    assert db.judgements_since(token2) == (token2, [])
    # a reader that applies the upserts holds exactly what a full read gives
    held = {}
    token = ()
    for k, c in enumerate(claims[:12]):
        db.tag(c.id, "unsourced", "ben")
        if k % 3 == 0:
            token, upserts = db.judgements_since(token)
            held.update({(x.claim_id, x.reviewer): x for x in upserts})
    token, upserts = db.judgements_since(token)
    held.update({(x.claim_id, x.reviewer): x for x in upserts})
    assert held == {(x.claim_id, x.reviewer): x for x in db.judgements()}


def test_claims_read_back_list_like_and_exact(tmp_path, corpus_parts):
    articles, claims = corpus_parts
    a = articles[0]
    odd = dataclasses.replace(claims[a.id][0], id="codd", text="not the article's slice")
    d = Database.open(tmp_path / "db", create=True)
    d.ingest([a], {a.id: [odd, *claims[a.id][1:]]}, link_corpus)
    got = d.corpus().claims
    assert len(got) == len(claims[a.id])
    assert got[0] == odd and got[-1] == claims[a.id][-1]
    assert got[1:3] == claims[a.id][1:3]
    assert list(got) == [odd, *claims[a.id][1:]]
    with pytest.raises(IndexError):
        got[len(got)]


def test_fast_builder_matches_the_constructor():
    from claimdesk.extract.model import Quantity
    from claimdesk.store.build import builder
    from claimdesk.store.judgements import Change

    build = builder(Quantity)
    assert build("160,000", 1, 8, 160000.0, None, "", False) == Quantity("160,000", 1, 8, 160000.0)
    assert build("3", 0, 1, 3.0) == Quantity("3", 0, 1, 3.0)  # fewer values: the class itself
    with pytest.raises(dataclasses.FrozenInstanceError):
        build("3", 0, 1, 3.0, None, "", False).value = 4.0
    assert builder(Change)("t", "ana", "disputed", "", "tag") == Change("t", "ana", "disputed", "", "tag")
