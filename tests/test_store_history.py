"""Schema 4: judgement histories in an append-only log per shard, claims and suggestions as
columns, and the migration from schema 3 (a fixture made by the schema-3 store)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import orjson
import pytest

from claimdesk.extract.links import link_corpus
from claimdesk.extract.model import Suggestion
from claimdesk.store import history as history_log
from claimdesk.store.database import CORPUS_FILE, SCHEMA_VERSION, Database, DatabaseError, shard_of
from claimdesk.store.doctor import check, restore
from claimdesk.store.judgements import Change
from claimdesk.store.links import LinkSource
from store_fixtures import store_corpus_parts, store_db, store_db_template  # noqa: F401

V3_FIXTURE = Path(__file__).resolve().parent / "fixtures" / "store_v3"


def log_of(db: Database, claim_id: str) -> Path:
    return db._log_file(shard_of(claim_id, db.shards))


def shard_rows(db: Database, claim_id: str) -> list[dict]:
    return list(orjson.loads(db._shard_file(shard_of(claim_id, db.shards)).read_bytes())["judgements"].values())


# ------------------------------------------------------------------ the log


def test_each_change_is_one_log_line_and_the_row_counts_them(store_db):
    cid = store_db.corpus().claims[3].id
    store_db.tag(cid, "disputed", "ana", note="TASS only")
    store_db.set_note(cid, "ana", "two\nlines, \"quoted\"")
    store_db.untag(cid, "ana")
    [row] = shard_rows(store_db, cid)
    assert row["changes"] == 3 and "history" not in row and row["status"] == "" and row["note"] == 'two\nlines, "quoted"'
    lines = [orjson.loads(x) for x in log_of(store_db, cid).read_bytes().splitlines()]
    assert [(x[0], x[1], x[2], x[5], x[7]) for x in lines] == [
        (cid, "ana", 1, "disputed", "tag"),
        (cid, "ana", 2, "disputed", "note"),
        (cid, "ana", 3, "", "untag"),
    ]
    assert oct(os.stat(log_of(store_db, cid)).st_mode & 0o777) == "0o600"


def test_a_change_logged_but_not_committed_is_ignored_and_superseded(store_db):
    """A writer killed between its append and its replace leaves a log line the values never
    committed: readers skip it, the next change takes its number and wins."""
    cid = store_db.corpus().claims[4].id
    store_db.tag(cid, "disputed", "ana")
    ghost = Change("2026-11-22T00:00:00.000000+00:00", "ana", "unsourced", "never acknowledged", "tag")
    history_log.append(log_of(store_db, cid), [history_log.encode_line(cid, "ana", 2, ghost)], 0o600)
    j = store_db.judgement(cid, "ana")
    assert j.status == "disputed" and [c.status for c in j.history] == ["disputed"]
    assert check(store_db.path).ok
    store_db.tag(cid, "corroborated", "ana", note="second")
    j = store_db.judgement(cid, "ana")
    assert [(c.status, c.note) for c in j.history] == [("disputed", ""), ("corroborated", "second")]
    assert len(log_of(store_db, cid).read_bytes().splitlines()) == 3  # the ghost stays in the log, unread


def test_a_torn_last_line_is_skipped_closed_and_reported(store_db):
    cid = store_db.corpus().claims[5].id
    store_db.tag(cid, "disputed", "ana")
    log = log_of(store_db, cid)
    with open(log, "ab") as fh:
        fh.write(b'["' + cid.encode() + b'","ana",2,"2026-11-2')  # killed mid-append
    assert store_db.judgement(cid, "ana").history[-1].status == "disputed"
    findings = [str(f) for f in check(store_db.path).findings if f.level != "ok"]
    assert findings == [f"warning: {log}: last line incomplete (a write interrupted before it was committed; ignored)"]
    store_db.tag(cid, "unsourced", "ana")  # the next writer closes the torn line first
    assert [c.status for c in store_db.judgement(cid, "ana").history] == ["disputed", "unsourced"]
    assert log.read_bytes().endswith(b"\n") and not history_log.read(log).torn_tail
    report = check(store_db.path)
    assert report.ok and [f.message for f in report.findings if f.level != "ok"] == [
        "1 line(s) that do not parse, ignored (line 2)"
    ]


def test_doctor_reports_committed_changes_missing_from_the_log(store_db):
    cid = store_db.corpus().claims[6].id
    store_db.tag(cid, "disputed", "ana")
    store_db.tag(cid, "corroborated", "ana")
    log = log_of(store_db, cid)
    log.write_bytes(log.read_bytes().splitlines(keepends=True)[0])  # the second change is gone
    report = check(store_db.path)
    assert not report.ok
    assert f"error: {log}: 1 committed change(s) missing from the history log: their history cannot be shown" in [
        str(f) for f in report.findings
    ]
    # the values still read; the history shows what is left
    j = store_db.judgement(cid, "ana")
    assert j.status == "corroborated" and [c.status for c in j.history] == ["disputed"]


def test_reading_values_never_opens_a_log(store_db, monkeypatch):
    claims = store_db.corpus().claims
    for c in claims[:5]:
        store_db.tag(c.id, "unsourced", "ben")
    monkeypatch.setattr(history_log, "read", lambda path: pytest.fail(f"read {path}"))
    got = store_db.judgements()
    assert {(j.claim_id, j.status) for j in got} == {(c.id, "unsourced") for c in claims[:5]}
    assert all(j.history is None for j in got)
    assert store_db.judgements("ben") == got and store_db.judgements("nobody") == []


def test_a_restored_schema_3_shard_is_converted_by_the_next_change(store_db):
    """doctor --restore can put back a backup written before the migration (rows with their
    history inside): they read as they are, and the next change moves them to the log."""
    cid = store_db.corpus().claims[7].id
    file = store_db._shard_file(shard_of(cid, store_db.shards))
    old_row = {"claim_id": cid, "reviewer": "ana", "status": "disputed", "note": "old", "created": "2026-01-01T00:00:00+00:00",
               "updated": "2026-01-02T00:00:00+00:00", "history": [["2026-01-01T00:00:00+00:00", "ana", "unsourced", "", "tag"],
                                                                  ["2026-01-02T00:00:00+00:00", "ana", "disputed", "old", "tag"]]}
    file.write_bytes(orjson.dumps({"judgements": {"1": old_row}}))
    assert [c.status for c in store_db.judgement(cid, "ana").history] == ["unsourced", "disputed"]
    store_db.tag(cid, "corroborated", "ana")
    [row] = shard_rows(store_db, cid)
    assert row["changes"] == 3 and "history" not in row and row["note"] == "old"
    assert [c.status for c in store_db.judgement(cid, "ana").history] == ["unsourced", "disputed", "corroborated"]
    assert check(store_db.path).ok


# ------------------------------------------------------------------ the corpus' columns


def test_claims_are_columns_and_come_back_equal(store_db, store_corpus_parts):
    data = orjson.loads((store_db.path / CORPUS_FILE).read_bytes())
    [columns] = data["claims"].values()
    assert set(columns) == {"id", "article_id", "v", "text"} and all(isinstance(v, str) for v in columns["v"])
    articles, claims = store_corpus_parts
    expected = {c.id: c for cs in claims.values() for c in cs}
    corpus = store_db.corpus()
    assert corpus.claims.ids() == columns["id"] and len(corpus.claims) == len(expected)
    assert {c.id: c for c in corpus.claims} == expected


def test_a_claim_whose_text_is_not_its_slice_keeps_it(tmp_path, store_corpus_parts):
    articles, claims = store_corpus_parts
    a = articles[0]
    odd = claims[a.id][0]
    odd = type(odd)(**{**{f: getattr(odd, f) for f in odd.__slots__}, "text": odd.text.upper()})
    db = Database.open(tmp_path / "db", create=True)
    db.ingest([a], {a.id: [odd, *claims[a.id][1:]]}, link_corpus)
    [columns] = orjson.loads((db.path / CORPUS_FILE).read_bytes())["claims"].values()
    assert list(columns["text"].values()) == [odd.text]
    assert Database.open(db.path).corpus().claim(odd.id).text == odd.text


def test_a_malformed_claim_value_is_one_clear_error(store_db):
    file = store_db.path / CORPUS_FILE
    data = orjson.loads(file.read_bytes())
    data["claims"]["1"]["v"][2] = "[1, 2"
    file.write_bytes(orjson.dumps(data))
    corpus = Database.open(store_db.path).corpus()
    corpus.claims[0]  # the others build
    with pytest.raises(DatabaseError) as err:
        corpus.claims[2]
    assert f"{file}: claim {data['claims']['1']['id'][2]!r}: malformed row" in str(err.value)


def test_suggestions_are_a_lazy_mapping_equal_to_the_linker_output(store_db):
    corpus = store_db.corpus()
    s = corpus.linkage.suggestions
    some = next(iter(s))
    assert isinstance(s[some], Suggestion) and s.get(some) == s[some] and s.get("nope") is None
    assert s.status_of(some) == s[some].status and s.status_of("nope") == ""
    assert "nope" not in s and len(s) == len(list(s)) == len(dict(s))


def test_suggestions_with_a_position_outside_their_table_are_refused(store_db):
    file = store_db.path / CORPUS_FILE
    data = orjson.loads(file.read_bytes())
    data["suggestions"]["1"]["reason"][0] = len(data["suggestions"]["1"]["reasons"])
    file.write_bytes(orjson.dumps(data))
    with pytest.raises(DatabaseError) as err:
        Database.open(store_db.path).corpus()
    assert str(err.value) == f"{file}: suggestions: malformed (a position outside its table)"


def test_a_judgement_row_without_its_claim_is_one_error_naming_the_shard(store_db):
    cid = store_db.corpus().claims[8].id
    store_db.tag(cid, "disputed", "ana")
    file = store_db._shard_file(shard_of(cid, store_db.shards))
    data = orjson.loads(file.read_bytes())
    del data["judgements"]["1"]["claim_id"]
    file.write_bytes(orjson.dumps(data))
    for read in (store_db.judgements, lambda: store_db.judgements(history=True)):
        with pytest.raises(DatabaseError) as err:
            read()
        assert str(err.value).startswith(f"{file}: damaged (a ")
        assert "claim_id" in str(err.value) and "doctor --restore" in str(err.value)
        assert "\n" not in str(err.value)
    assert not check(store_db.path).ok  # and the doctor names it too


# ------------------------------------------------------------------ migration 3 -> 4


V3_HISTORY = {  # what the fixture's README says was done, oldest first per (claim position, reviewer)
    (0, "ana"): [("tag", "disputed", "TASS only"), ("tag", "corroborated", "TASS only")],
    (0, "ben"): [("tag", "unsourced", "")],
    (5, "ben"): [("tag", "corroborated", "two\nlines"), ("untag", "", "two\nlines")],
    (9, "ana"): [("tag", "disputed", "")],
}


def _check_v3_history(db: Database) -> None:
    ids = db.corpus().claim_ids()
    got = {(ids.index(j.claim_id), j.reviewer): j for j in db.judgements(history=True)}
    assert set(got) == set(V3_HISTORY)
    for key, changes in V3_HISTORY.items():
        j = got[key]
        assert [(c.action, c.status, c.note) for c in j.history] == changes
        assert (j.status, j.note, j.updated, j.created) == (changes[-1][1], changes[-1][2], j.history[-1].at, j.history[0].at)


def test_v3_database_is_migrated_to_v4(tmp_path, store_corpus_parts):
    folder = tmp_path / "v3.db"
    shutil.copytree(V3_FIXTURE, folder)
    v3 = orjson.loads((folder / CORPUS_FILE).read_bytes())
    assert v3["meta"]["1"]["schema_version"] == 3
    shards_before = {p.name: p.read_bytes() for p in (folder / "judgements").glob("j-*.json")}
    v3_links_file = folder / v3["meta"]["1"]["links"]["file"]
    v3_runs = orjson.loads(v3_links_file.read_bytes())["runs"]
    assert v3_runs and all(isinstance(run, list) for run in v3_runs)  # schema 3: [claim, other, ...]
    v3_links = LinkSource(v3_links_file, v3["meta"]["1"]["links"]["generation"]).links()  # read, not migrated

    db = Database.open(folder)

    assert db.meta["schema_version"] == SCHEMA_VERSION == 4 and db.meta["migrated_from"] == 3
    data = orjson.loads((folder / CORPUS_FILE).read_bytes())
    # the links: a new generation, runs as strings, the same links in the same order
    info = data["meta"]["1"]["links"]
    assert info["count"] == v3["meta"]["1"]["links"]["count"] and info["file"] != v3_links_file.name
    # the old file stays while corpus.json.bak (the schema-3 corpus) names it
    assert sorted(p.name for p in folder.glob("links-*.json")) == sorted([info["file"], v3_links_file.name])
    assert all(isinstance(run, str) for run in orjson.loads((folder / info["file"]).read_bytes())["runs"])
    assert db.corpus().linkage.links == v3_links
    for table in ("families", "suggestions", "shared"):
        assert data[table] == v3[table]
    new_fields = {"published_raw": "", "authors": [], "canonical_url": ""}  # article metadata added later, empty
    assert data["articles"] == {k: {**row, **new_fields} for k, row in v3["articles"].items()}
    assert data["claims"]["1"]["id"] == [r["id"] for r in v3["claims"].values()]
    articles, claims = store_corpus_parts
    assert {c.id: c for c in db.corpus().claims} == {c.id: c for cs in claims.values() for c in cs}
    for name, raw in shards_before.items():
        assert (folder / "judgements" / f"{name}.bak").read_bytes() == raw  # the schema-3 shard is the backup
        assert all("history" not in r for r in orjson.loads((folder / "judgements" / name).read_bytes())["judgements"].values())
        assert (folder / "judgements" / name.replace("j-", "h-").replace(".json", ".jsonl")).exists()
    _check_v3_history(db)
    assert check(folder).ok
    assert Database.open(folder).meta["schema_version"] == 4


def test_v3_migration_killed_after_some_shards_runs_again(tmp_path):
    """Killed after converting one shard, before corpus.json: the database is still schema 3
    with one schema-4 shard; the next open finishes the job and every history is whole."""
    from claimdesk.store.migrate import _shards_to_v4

    folder = tmp_path / "v3.db"
    shutil.copytree(V3_FIXTURE, folder)
    data = orjson.loads((folder / CORPUS_FILE).read_bytes())
    first = sorted((folder / "judgements").glob("j-*.json"))[0]
    others = {p: p.read_bytes() for p in (folder / "judgements").glob("j-*.json") if p != first}
    for p in others:
        p.unlink()
    _shards_to_v4(folder, data, 0o600)  # "killed" after the first shard
    for p, raw in others.items():
        p.write_bytes(raw)
    assert orjson.loads((folder / CORPUS_FILE).read_bytes())["meta"]["1"]["schema_version"] == 3

    db = Database.open(folder)
    assert db.meta["schema_version"] == 4
    _check_v3_history(db)
    log = first.with_name(first.name.replace("j-", "h-").replace(".json", ".jsonl"))
    n_lines = len(log.read_bytes().splitlines())
    assert n_lines == sum(orjson.loads(first.read_bytes())["judgements"][k]["changes"] for k in orjson.loads(first.read_bytes())["judgements"])
    assert check(folder).ok and restore(folder) == []
