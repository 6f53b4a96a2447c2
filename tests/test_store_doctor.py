"""`store.doctor`: finding what is wrong, restoring the last good copy, never losing a file."""

from __future__ import annotations

import os

import orjson
import pytest

from claimdesk.extract.links import link_corpus
from claimdesk.store.database import CORPUS_FILE, Database, DatabaseError
from claimdesk.store.doctor import ERROR, WARNING, check, restore
from store_fixtures import article_from_text, claims_of, store_corpus_parts, store_db, store_db_template  # noqa: F401


def levels(report) -> dict[str, list[str]]:
    out: dict[str, list[str]] = {}
    for f in report.findings:
        out.setdefault(f.level, []).append(f.message)
    return out


def test_healthy_database(store_db):
    store_db.tag(store_db.corpus().claims[0].id, "disputed", "ana")
    report = check(store_db.path)
    assert report.ok and report.judgements == 1 and report.claims == len(store_db.corpus().claims)
    assert set(levels(report)) == {"ok"}


def test_corrupt_corpus_restored_from_last_good_copy(store_db, store_corpus_parts):
    articles, claims = store_corpus_parts
    extra = article_from_text("zz_extra.txt", "Extra title\nOfficials said 12,000 troops moved on Friday night.")
    store_db.ingest([extra], {extra.id: claims_of(extra)}, link_corpus)  # corpus.json.bak now holds the 5-article corpus
    file = store_db.path / CORPUS_FILE
    file.write_bytes(file.read_bytes()[:1000])  # truncated by some outside accident
    report = check(store_db.path)
    assert not report.ok and report.corrupt == [file]
    assert any("can put back" in m for m in levels(report)[ERROR])
    with pytest.raises(DatabaseError, match="doctor --restore"):
        Database.open(store_db.path)
    done = restore(store_db.path)
    assert any("restored from corpus.json.bak" in line and "last ingest" in line for line in done)
    db = Database.open(store_db.path)
    assert len(db.corpus().articles) == len(articles)  # the previous good version
    assert len(list(store_db.path.glob("corpus.json.corrupt-*"))) == 1  # the bad copy is kept
    assert check(store_db.path).ok


def test_corrupt_without_backup_is_left_alone(store_db):
    claim = store_db.corpus().claims[0]
    store_db.tag(claim.id, "disputed", "ana")  # first write of this shard: no backup yet
    shard = next((store_db.path / "judgements").glob("j-*.json"))
    assert not shard.with_name(shard.name + ".bak").exists()
    shard.write_bytes(b"[1, 2")
    log = shard.with_name(shard.name.replace("j-", "h-").replace(".json", ".jsonl"))
    log.unlink()  # and its history log lost too: nothing to rebuild from
    done = restore(store_db.path)
    assert any("no good backup" in line and "left as it is" in line for line in done)
    assert shard.read_bytes() == b"[1, 2"
    assert not check(store_db.path).ok


def test_orphans_stray_temps_modes_and_bad_backups(store_db, store_corpus_parts):
    articles, _ = store_corpus_parts
    victim = store_db.corpus().claims_of(articles[0].id)[0]
    store_db.tag(victim.id, "disputed", "ana")
    edited = article_from_text(articles[0].source, articles[0].text.replace(victim.text, ""))
    store_db.ingest([edited], {edited.id: claims_of(edited)}, link_corpus)
    stray = store_db.path / "judgements" / ".j-001.json.999999999.deadbeef.tmp"
    stray.write_bytes(b'{"judgements": {')
    (store_db.path / "corpus.json.bak").write_bytes(b"nonsense")
    os.chmod(store_db.path / CORPUS_FILE, 0o644)
    report = check(store_db.path)
    assert report.ok  # warnings only
    warnings = "\n".join(levels(report)[WARNING])
    assert victim.id in warnings and "no longer in the corpus" in warnings
    assert "stray temp file" in warnings
    assert "backup does not parse" in warnings
    assert "permissions 0644" in warnings
    assert report.orphaned == [(victim.id, "ana")]
    restore(store_db.path)
    assert not stray.exists()
    assert Database.open(store_db.path).judgement(victim.id, "ana").status == "disputed"


def test_newer_schema_and_foreign_files(store_db, tmp_path):
    file = store_db.path / CORPUS_FILE
    data = orjson.loads(file.read_bytes())
    data["meta"]["1"]["schema_version"] = 99
    file.write_bytes(orjson.dumps(data))
    assert any("newer" in m for m in levels(check(store_db.path))[ERROR])
    plain = tmp_path / "plain"
    plain.write_text("hello")
    assert "is a file" in levels(check(plain))[ERROR][0]
    foreign = tmp_path / "foreign"
    foreign.mkdir()
    (foreign / CORPUS_FILE).write_text('{"_default": {}}')
    assert "foreign" in levels(check(foreign))[ERROR][0]


def test_missing_corpus_with_a_backup_is_restored(store_db, store_corpus_parts):
    articles, _ = store_corpus_parts
    extra = article_from_text("zz_extra.txt", "Extra title\nOfficials said 12,000 troops moved on Friday night.")
    store_db.ingest([extra], {extra.id: claims_of(extra)}, link_corpus)
    (store_db.path / CORPUS_FILE).unlink()
    with pytest.raises(DatabaseError, match="doctor --restore"):
        Database.open(store_db.path, create=True)
    assert not (store_db.path / CORPUS_FILE).exists()  # not re-initialised over the judgements
    assert not check(store_db.path).ok
    done = restore(store_db.path)
    assert any("restored" in line for line in done)
    assert len(Database.open(store_db.path).corpus().articles) == len(articles)


def test_fetched_pages_are_healthy_and_a_link_planted_among_them_is_set_aside(store_db, tmp_path):
    """pages/ (URL ingest's page cache) is part of a database: its folder is not "unsafe", its
    regular files pass, and a symbolic link planted in it is listed and moved aside, unfollowed."""
    pages = store_db.path / "pages"
    pages.mkdir(mode=0o700)
    body = pages / ("a" * 64)
    body.write_bytes(b"<html><body><p>page</p></body></html>")
    body.chmod(0o600)
    assert check(store_db.path).ok, [str(f) for f in check(store_db.path).findings]

    secret = tmp_path / "secret.json"
    secret.write_text('{"token": "x"}')
    planted = pages / "u-planted.json"
    planted.symlink_to(secret)
    report = check(store_db.path)
    assert not report.ok
    assert any(f.level == ERROR and f.path == str(planted) for f in report.findings)
    restore(store_db.path, link_corpus)
    assert not planted.is_symlink() and not os.path.lexists(planted)
    assert body.exists() and secret.read_text() == '{"token": "x"}'
    assert check(store_db.path).ok
