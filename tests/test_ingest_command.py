"""`claimdesk ingest` end to end on the sample story: summary, re-ingest, changed articles, bad files."""

from __future__ import annotations

import csv
import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from claimdesk.store.database import Database
from claimdesk.tui.cli import main
from claimdesk.tui.ingest import ingest_paths

ROOT = Path(__file__).resolve().parent.parent
CLAIMDESK = Path(sys.executable).parent / "claimdesk"


def test_sample_ingest_summary(sample_db, capsys):
    corpus = Database.open(sample_db).corpus()
    assert len(corpus.articles) == 5
    assert {a.outlet for a in corpus.articles} >= {"CNN"}
    # Every claim has a suggestion; every status the issue names occurs in the sample story.
    statuses = {corpus.suggestion(c.id).status for c in corpus.claims}
    assert {"corroborated", "disputed", "unsourced", ""} <= statuses
    # The 160,000 call-up is stated by all five outlets: corroborated.
    call_up = [c for c in corpus.claims if "160,000" in c.text]
    assert len({c.article_id for c in call_up}) == 5
    assert any(corpus.suggestion(c.id).status == "corroborated" for c in call_up)


def test_reingesting_the_same_articles_adds_nothing_and_never_loads_spacy(sample_db):
    probe = (
        "import sys; from claimdesk.tui.cli import main; "
        f"code = main(['ingest', {str(ROOT / 'sample_data')!r}, '--db', {str(sample_db)!r}, '--quiet']); "
        "print('SPACY' if 'spacy' in sys.modules else 'NO-SPACY'); sys.exit(code)"
    )
    before = (sample_db / "corpus.json").read_bytes()
    result = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True, cwd=ROOT)
    assert result.returncode == 0, result.stderr
    assert "0 new, 0 changed, 5 unchanged" in result.stdout
    assert result.stdout.strip().endswith("NO-SPACY")
    assert (sample_db / "corpus.json").read_bytes() == before


def test_changed_article_replaces_its_claims_and_keeps_judgements_on_vanished_ones(
    sample_db, tmp_path, capsys, monkeypatch
):
    monkeypatch.setenv("COLUMNS", "200")  # one table row per line
    folder = tmp_path / "story"
    shutil.copytree(ROOT / "sample_data", folder)
    db = Database.open(sample_db)
    corpus = db.corpus()
    cnn = next(a for a in corpus.articles if a.source.startswith("000_"))
    tass_claim = next(c for c in corpus.claims_of(cnn.id) if "10,000 conscripts" in c.text)
    db.tag(tass_claim.id, "corroborated", "alice", note="checked against TASS")

    path = folder / cnn.source
    text = path.read_text(encoding="utf-8")
    path.write_text(text.replace("an increase of 10,000 conscripts", "an increase of 12,000 conscripts"))
    code = main(["ingest", str(folder), "--db", str(sample_db), "--quiet"])
    out = capsys.readouterr().out
    assert code == 0
    assert "0 new, 1 changed, 4 unchanged" in out
    assert "judgements kept on vanished claims" in out

    after = Database.open(sample_db).corpus()
    texts = [c.text for c in after.claims_of(cnn.id)]
    assert any("12,000 conscripts" in t for t in texts)
    assert not any("10,000 conscripts" in t for t in texts)
    kept = Database.open(sample_db).judgement(tass_claim.id, "alice")
    assert kept is not None and kept.note == "checked against TASS"
    # Claims of the unchanged articles keep their ids (and so their judgements).
    assert {c.id for a in after.articles if a.id != cnn.id for c in after.claims_of(a.id)} == {
        c.id for a in corpus.articles if a.id != cnn.id for c in corpus.claims_of(a.id)
    }


def test_bad_files_get_one_line_each_and_the_rest_is_ingested(tmp_path):
    folder = tmp_path / "mixed"
    folder.mkdir()
    shutil.copy(ROOT / "sample_data" / "003_a5c98d244fca9490.txt", folder / "good.txt")
    (folder / "empty.txt").write_text("")
    (folder / "binary.txt").write_bytes(b"\x00\x01\x02PK\x03\x04" * 50)
    (folder / "latin1.txt").write_bytes(
        "Caf\xe9 owners say prices rose 12% in 2024.\nThe union said 3,000 caf\xe9s closed.\n".encode(
            "latin-1"
        )
    )
    (folder / "feed.jsonl").write_text(
        '{"title": "Draft", "text": "Russia called up 160,000 men, TASS said."}\n{not json\n'
    )
    db = tmp_path / "db"
    result = subprocess.run(
        [str(CLAIMDESK), "ingest", str(folder), "--db", str(db), "--quiet"],
        capture_output=True,
        text=True,
    )
    assert result.returncode == 0, result.stderr
    errors = result.stderr.strip().splitlines()
    assert all(line.startswith("claimdesk: ") for line in errors), errors
    joined = "\n".join(errors)
    for name in ("empty.txt", "binary.txt", "latin1.txt", "feed.jsonl:2"):
        assert sum(name in line for line in errors) == 1, (name, joined)
    assert "Traceback" not in result.stderr
    titles = {a.title for a in Database.open(db).corpus().articles}
    assert "Putin to conscript 160,000 more Russians for war with Ukraine" in titles
    assert "Draft" in titles
    assert any(t.startswith("Caf") for t in titles)  # kept, decoded with replacement


def test_export_of_the_sample_lists_every_claim_once_with_the_issue_columns(sample_db, tmp_path):
    out = tmp_path / "out.csv"
    assert main(["export", "--db", str(sample_db), "--format", "csv", "-o", str(out)]) == 0
    with out.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        rows = list(reader)
    assert reader.fieldnames == [
        "claim_id", "article_id", "source", "outlet", "title", "start", "end", "text", "kind",
        "attribution", "suggested_status", "suggestion_reason", "supporting_claims",
        "conflicting_claims", "reviewer", "status", "note", "reviewed_at",
    ]
    corpus = Database.open(sample_db).corpus()
    assert [r["claim_id"] for r in rows] == [c.id for c in corpus.claims]
    for row in rows:
        article = corpus.article(row["article_id"])
        assert article.text[int(row["start"]) : int(row["end"])] == row["text"]
        assert row["reviewer"] == row["status"] == row["note"] == row["reviewed_at"] == ""


@pytest.mark.parametrize("missing", ["nowhere", "nowhere/at/all.txt"])
def test_missing_path_is_reported_and_nothing_is_half_written(tmp_path, missing, capsys):
    db = tmp_path / "db"
    code = main(["ingest", str(tmp_path / missing), "--db", str(db), "--quiet"])
    err = capsys.readouterr().err
    assert code != 0
    assert err.strip().splitlines() == [
        f"claimdesk: refused: {tmp_path / missing}: no such file or directory",
        f"claimdesk: nothing ingested: 1 input(s) refused; no database created at {db}"]
    assert not db.exists()  # a failed ingest leaves no empty database behind


def test_ingest_paths_reports_progress_for_each_new_article(tmp_path, nlp):
    seen = []
    db = Database.open(tmp_path / "db", create=True)
    summary = ingest_paths(
        [ROOT / "sample_data"], db, progress=lambda done, total, what: seen.append((done, total, what))
    )
    assert [s[0] for s in seen] == [1, 2, 3, 4, 5]
    assert {s[1] for s in seen} == {5}
    assert summary.articles_new == 5 and summary.claims_total == summary.claims_added > 50
    assert summary.words > 2000


def test_refused_jsonl_lines_are_counted_as_lines_not_files(tmp_path, nlp, capsys):
    feed = tmp_path / "feed.jsonl"
    good = {"title": "Draft", "text": "The ministry said 160,000 men would be called up by July 15."}
    feed.write_text("\n".join([json.dumps(good), "{not json", json.dumps({"title": "x", "text": "y", "url": 5})]) + "\n",
                    encoding="utf-8")
    code = main(["ingest", str(feed), str(tmp_path / "gone.txt"), "--db", str(tmp_path / "db"), "--quiet"])
    out = capsys.readouterr().out
    assert code == 0
    assert "3 (1 file, 2 JSONL lines)" in " ".join(out.split())
