"""The links file (schema 3): read lazily, the same links as ingest made, consistent with
corpus.json through crashes, checked and rebuilt by doctor; migration from schema 2 (and 1)."""

from __future__ import annotations

import shutil
import threading
from pathlib import Path

import orjson
import pytest

from claimdesk.extract.links import link_corpus
from claimdesk.extract.model import Link, Linkage, Suggestion, as_dict
from claimdesk.store.database import CORPUS_FILE, SCHEMA_VERSION, Corpus, Database, DatabaseError, named_links_files, sort_corpus
from claimdesk.store.doctor import check, restore
from claimdesk.store.links import LazyLinkage, LinkSource, encode_links
from store_fixtures import store_corpus_parts, store_db, store_db_template  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent
V1_FIXTURE = ROOT / "tests" / "fixtures" / "store_v1"
V2_FIXTURE = ROOT / "tests" / "fixtures" / "store_v2"


def links_file(db: Database) -> Path:
    meta = orjson.loads((db.path / CORPUS_FILE).read_bytes())["meta"]["1"]
    return db.path / meta["links"]["file"]


def links_files(folder: Path) -> list[str]:
    return sorted(p.name for p in folder.glob("links-*.json"))


@pytest.fixture(scope="module")
def expected_linkage(store_corpus_parts) -> Linkage:
    """What the linker makes of the sample corpus, straight from extract.links."""
    articles, claims = store_corpus_parts
    arts, cls_ = sort_corpus(articles, [c for cs in claims.values() for c in cs])
    return link_corpus(arts, cls_)


# ------------------------------------------------------------------ lazy reading


def test_links_are_not_read_until_asked_for(store_db, expected_linkage):
    assert len(expected_linkage.links) > 5
    corpus = store_db.corpus()
    assert isinstance(corpus.linkage, LazyLinkage)
    assert not corpus.links_loaded
    # the first screen's needs: suggestions, families, claims, articles; none reads the links
    assert corpus.linkage.suggestions == expected_linkage.suggestions
    assert corpus.linkage.families == expected_linkage.families
    assert len(corpus.claims) and corpus.claims[0].id and corpus.articles
    assert not corpus.links_loaded
    claim = expected_linkage.links[0].claim_id
    got = corpus.links_of(claim)
    assert corpus.links_loaded
    assert got == [link for link in expected_linkage.links if link.claim_id == claim]
    assert all(isinstance(link, Link) for link in got)
    # the whole tuple: the same links in the same order as the linker made them
    assert corpus.linkage.links == expected_linkage.links
    for link in expected_linkage.links:
        assert corpus.links_of(link.claim_id) == [x for x in expected_linkage.links if x.claim_id == link.claim_id]
    unlinked = next(c.id for c in corpus.claims if all(x.claim_id != c.id for x in expected_linkage.links))
    assert corpus.links_of(unlinked) == []
    assert corpus.links_of("c-nope") == []
    assert corpus.linkage == expected_linkage


def test_load_links_in_a_thread_then_links_of(store_db, expected_linkage):
    corpus = store_db.corpus()
    worker = threading.Thread(target=corpus.load_links)
    worker.start()
    claim = expected_linkage.links[-1].claim_id
    got = corpus.links_of(claim)  # while the worker may be loading: waits for it, reads once
    worker.join()
    assert corpus.links_loaded
    assert got == [x for x in expected_linkage.links if x.claim_id == claim]


def test_links_file_is_compact_and_corpus_has_no_links_table(store_db, expected_linkage):
    data = orjson.loads((store_db.path / CORPUS_FILE).read_bytes())
    assert "links" not in data
    meta = data["meta"]["1"]
    assert meta["schema_version"] == SCHEMA_VERSION == 4
    assert meta["links"]["count"] == len(expected_linkage.links)
    stored = orjson.loads(links_file(store_db).read_bytes())
    assert stored["generation"] == meta["links"]["generation"]
    assert all(isinstance(run, str) for run in stored["runs"]) and len(stored["claims"]) == len(stored["runs"])
    assert len(stored["reasons"]) == len({x.reason for x in expected_linkage.links})
    # corpus.json's links file and its backup's (the empty database's, from create=True)
    assert links_files(store_db.path) == sorted(named_links_files(store_db.path))
    assert links_file(store_db).name in links_files(store_db.path) and len(links_files(store_db.path)) == 2


def test_a_reader_keeps_its_links_across_later_ingests(tmp_path, store_corpus_parts, expected_linkage):
    articles, claims = store_corpus_parts
    db = Database.open(tmp_path / "db", create=True)
    db.ingest(articles, claims, link_corpus)
    reader = db.corpus()  # links not read yet
    first = links_file(db).name
    changed = [a for a in articles]
    changed[0] = type(changed[0])(**{**as_dict(changed[0]), "digest": "x", "removed": (), "warnings": ()})
    db.ingest(changed[:1], {changed[0].id: claims[changed[0].id][:2]}, link_corpus)
    db.ingest(articles[:1], claims, link_corpus)
    # corpus.json and its backup name the two newest generations; the first one is gone
    assert first not in links_files(db.path) and len(links_files(db.path)) == 2
    assert reader.linkage.links == expected_linkage.links  # the file was opened when the corpus was read
    assert check(db.path).ok


def test_missing_links_file_is_reported_and_rebuilt(store_db, expected_linkage):
    file = links_file(store_db)
    file.unlink()
    with pytest.raises(DatabaseError) as err:
        Database.open(store_db.path)
    assert str(err.value).startswith(f"{file}: missing")
    assert "doctor --restore" in str(err.value)
    report = check(store_db.path)
    assert not report.ok and report.bad_links == file
    done = restore(store_db.path, link_corpus)
    assert any("rebuilt from the corpus" in line for line in done)
    assert check(store_db.path).ok
    assert Database.open(store_db.path).corpus().linkage.links == expected_linkage.links


def test_corrupt_links_file_fails_on_use_and_is_rebuilt(store_db, expected_linkage):
    file = links_file(store_db)
    file.write_bytes(file.read_bytes()[:100])
    corpus = Database.open(store_db.path).corpus()  # opening and the first screen work
    assert corpus.linkage.suggestions
    with pytest.raises(DatabaseError) as err:
        corpus.links_of(expected_linkage.links[0].claim_id)
    assert str(err.value).startswith(f"{file}: not valid JSON")
    with pytest.raises(DatabaseError) as again:  # asked again (another key): the same one line
        corpus.links_of(expected_linkage.links[0].claim_id)
    assert str(again.value) == str(err.value)
    assert any(f.level == "error" and f.path == str(file) for f in check(store_db.path).findings)
    restore(store_db.path, link_corpus)
    assert list(store_db.path.glob(f"{file.name}.corrupt-*"))  # the bad copy is kept
    assert Database.open(store_db.path).corpus().linkage.links == expected_linkage.links


def test_links_file_of_another_generation_is_refused(store_db):
    file = links_file(store_db)
    data = orjson.loads(file.read_bytes())
    data["generation"] = "999999-00000000"
    file.write_bytes(orjson.dumps(data))
    corpus = Database.open(store_db.path).corpus()
    with pytest.raises(DatabaseError, match="generation"):
        corpus.load_links()


def test_unnamed_links_file_is_reported_and_removed(store_db):
    """What an ingest killed after writing its links file but before corpus.json leaves."""
    stray = store_db.path / "links-000009-deadbeef.json"
    shutil.copyfile(links_file(store_db), stray)
    report = check(store_db.path)
    assert report.ok and report.unused_links == [stray]
    assert any(f.level == "warning" and f.path == str(stray) for f in report.findings)
    assert Database.open(store_db.path).corpus().linkage.links  # the named one is read
    done = restore(store_db.path, link_corpus)
    assert not stray.exists() and any("removed" in line for line in done)
    assert links_files(store_db.path) == sorted(named_links_files(store_db.path))


def test_corpus_built_by_hand_still_indexes_links(expected_linkage):
    corpus = Corpus(linkage=expected_linkage)
    link = expected_linkage.links[0]
    assert link in corpus.links_of(link.claim_id)
    assert corpus.links_loaded


def test_encoded_runs_keep_an_order_that_is_not_grouped():
    a = Link("c1", "c2", "supports", "same figure", 1.0)
    b = Link("c2", "c1", "conflicts", "160,000 vs 150,000", 0.5)
    c = Link("c1", "c3", "supports", "same figure", 1.0)
    data = encode_links([a, b, c], "g")
    assert data["count"] == 3 and len(data["runs"]) == 3 and data["reasons"] == ["same figure", "160,000 vs 150,000"]


def test_a_claim_with_runs_in_two_places_reads_back_whole_and_in_order(tmp_path):
    a = Link("c1", "c2", "supports", "same figure", 1.0)
    b = Link("c2", "c1", "conflicts", "160,000 vs 150,000", 0.5)
    c = Link("c1", "c3", "supports", "same figure", 1.0)
    file = tmp_path / "links-000001-0000000a.json"
    file.write_bytes(orjson.dumps(encode_links([a, b, c], "000001-0000000a")))
    assert LinkSource(file, "000001-0000000a").links_of("c1") == (a, c)
    assert LinkSource(file, "000001-0000000a").links() == (a, b, c)


# ------------------------------------------------------------------ migration


def test_v2_database_is_migrated_to_v4(tmp_path, store_corpus_parts):
    folder = tmp_path / "v2.db"
    shutil.copytree(V2_FIXTURE, folder)
    v2 = orjson.loads((folder / CORPUS_FILE).read_bytes())
    assert v2["meta"]["1"]["schema_version"] == 2
    v2_links = [v2["links"][k] for k in sorted(v2["links"], key=int)]
    assert v2_links
    before = {p.name: p.read_bytes() for p in (folder / "judgements").iterdir()}

    db = Database.open(folder)

    assert db.meta["schema_version"] == SCHEMA_VERSION
    data = orjson.loads((folder / CORPUS_FILE).read_bytes())
    assert "links" not in data and data["meta"]["1"]["migrated_from"] == 2
    assert links_files(folder) == [data["meta"]["1"]["links"]["file"]]
    assert (folder / f"{CORPUS_FILE}.bak").read_bytes() == (V2_FIXTURE / CORPUS_FILE).read_bytes()
    assert data["families"] == v2["families"]
    new_fields = {"published_raw": "", "authors": [], "canonical_url": ""}  # article metadata added later, empty
    assert data["articles"] == {k: {**row, **new_fields} for k, row in v2["articles"].items()}
    assert set(data["suggestions"]["1"]) == {"claims", "status", "reason", "statuses", "reasons"}  # columns
    assert set(data["claims"]["1"]) == {"id", "article_id", "v", "text"}  # schema-4 columns
    corpus = db.corpus()
    # the fixture was made from the sample corpus as store_fixtures cuts it: the same claims come back
    articles, claims = store_corpus_parts
    assert {c.id: c for c in corpus.claims} == {c.id: c for cs in claims.values() for c in cs}
    assert corpus.articles == sorted(articles, key=lambda a: a.source)
    assert corpus.linkage.suggestions == {r["claim_id"]: Suggestion(**r) for r in v2["suggestions"].values()}
    assert [as_dict(x) for x in corpus.linkage.links] == v2_links
    assert corpus.links_of(v2_links[0]["claim_id"])[0] == Link(**v2_links[0])
    # judgements keep their values and their whole history (now in the shards' logs); the
    # schema-2 shards are the backups
    for name, raw in before.items():
        assert (folder / "judgements" / f"{name}.bak").read_bytes() == raw
        rows = orjson.loads(raw)["judgements"].values()
        for row in rows:
            j = db.judgement(row["claim_id"], row["reviewer"])
            assert (j.status, j.note, j.created, j.updated) == (row["status"], row["note"], row["created"], row["updated"])
            assert [[c.at, c.reviewer, c.status, c.note, c.action] for c in j.history] == row["history"]
    js = {(j.claim_id, j.reviewer): j for j in db.judgements(history=True)}
    first = corpus.claims[0].id
    assert [c.status for c in js[(first, "ana")].history] == ["disputed", "corroborated"]
    assert check(folder).ok
    # and it works as a new one: tag, ingest again
    db.tag(first, "unsourced", "ana")
    assert [c.action for c in db.judgement(first, "ana").history] == ["tag", "tag", "tag"]
    assert Database.open(folder).meta["schema_version"] == SCHEMA_VERSION


def test_v2_migration_killed_after_the_links_file_is_run_again(tmp_path):
    """A migration killed after writing the links file leaves schema 2 plus an unnamed links
    file: the next open migrates again and removes the stray one."""
    folder = tmp_path / "v2.db"
    shutil.copytree(V2_FIXTURE, folder)
    v2 = orjson.loads((folder / CORPUS_FILE).read_bytes())
    links = [Link(**v2["links"][k]) for k in sorted(v2["links"], key=int)]
    stray = folder / "links-000001-0badc0de.json"
    stray.write_bytes(orjson.dumps(encode_links(links, "000001-0badc0de")))
    assert check(folder).ok  # schema 2: a warning that it will be migrated, and the stray file
    db = Database.open(folder)
    assert not stray.exists() and len(links_files(folder)) == 1
    assert list(db.corpus().linkage.links) == links


def test_v1_database_is_migrated_through_v2_and_v3_to_v4(tmp_path):
    folder = tmp_path / "v1.db"
    shutil.copytree(V1_FIXTURE, folder)
    v1 = orjson.loads((folder / CORPUS_FILE).read_bytes())
    v1_links = [v1["links"][k] for k in sorted(v1["links"], key=int)]
    db = Database.open(folder)
    data = orjson.loads((folder / CORPUS_FILE).read_bytes())
    assert data["meta"]["1"]["schema_version"] == SCHEMA_VERSION and data["meta"]["1"]["migrated_from"] == 1
    assert "links" not in data and "judgements" not in data
    assert [as_dict(x) for x in db.corpus().linkage.links] == v1_links
    assert len(db.judgements()) == len(v1["judgements"])
    assert check(folder).ok
