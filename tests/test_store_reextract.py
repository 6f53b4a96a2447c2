"""Issue 8 item 10: claim extraction changes; what happens to judgements of an existing corpus.

Claim ids are `stable_id("c", article id, normalised claim text, occurrence of that text among the
article's claims)`: they do not depend on a claim's position nor on which other sentences are claims.
So when the rules change (here: the old rules are put back with monkeypatch, the real extraction runs
both times):

- re-ingesting unchanged articles changes nothing (unchanged articles are not extracted again);
- an article that changed is extracted with the new rules: a sentence that was not a claim becomes one
  without shifting the ids of the others, whose judgements stay where they were; a judged claim the new
  rules drop is reported by the ingest and kept (its judgement, note and history; editable; exported
  at the end, listed by `claimdesk doctor`), never dropped.
"""

from __future__ import annotations

import csv
import io

import pytest

import claimdesk.extract.article_lines as lines_module
import claimdesk.extract.claim_rules as rules_module
from claimdesk.store.database import Database
from claimdesk.store.export import export_rows
from claimdesk.tui.cli import main

STORY = (
    "Ferry Runs Aground Off Dover\n"
    "The ferry ran aground off Dover on Monday, the coastguard said.\n"
    "Two officers shot and wounded a man outside the station after he fired at a patrol car on Saturday\n"
    "When I was 14, I sold 300 newspapers a day.\n"
    "The port reopened on Tuesday.\n"
)
OTHER = "Port Of Dover Reopens\nThe port of Dover reopened on Tuesday after a ferry ran aground on Monday.\n"
UNPUNCTUATED = "Two officers shot and wounded a man outside the station after he fired at a patrol car on Saturday"
ASIDE = "When I was 14, I sold 300 newspapers a day."
KEPT = "The port reopened on Tuesday."


def _old_rules(monkeypatch) -> None:
    """The rules before issue 8 item 3: an unpunctuated line was a subhead; a first-person aside with a
    figure was a statistic."""
    monkeypatch.setattr(lines_module, "SENTENCE_WORDS", 10**6)
    monkeypatch.setattr(rules_module, "_personal", lambda root: False)


def _ingest(folder, db, capsys) -> str:
    code = main(["ingest", str(folder), "--db", str(db), "--quiet"])
    out = capsys.readouterr().out
    assert code == 0, out
    return out


@pytest.fixture
def story(tmp_path, monkeypatch):
    monkeypatch.setenv("COLUMNS", "200")
    folder = tmp_path / "story"
    folder.mkdir()
    (folder / "a.txt").write_text(STORY, encoding="utf-8")
    (folder / "b.txt").write_text(OTHER, encoding="utf-8")
    return folder, tmp_path / "db"


def _by_text(db: Database) -> dict[str, str]:
    corpus = db.corpus()
    return {c.text: c.id for c in corpus.claims}


def test_judgements_survive_a_change_of_the_extraction_rules(story, capsys, monkeypatch):
    folder, path = story
    with monkeypatch.context() as old:
        _old_rules(old)
        _ingest(folder, path, capsys)
    db = Database.open(path)
    before = _by_text(db)
    assert ASIDE in before and UNPUNCTUATED not in before and KEPT in before
    db.tag(before[KEPT], "corroborated", "alice", note="port authority confirms")
    db.tag(before[ASIDE], "unsourced", "alice", note="whose memory?")
    db.tag(before[ASIDE], "disputed", "bob")

    # the new rules, the same articles: nothing is extracted again, nothing moves
    out = _ingest(folder, path, capsys)
    assert "0 new, 0 changed, 2 unchanged" in out
    assert _by_text(db) == before

    # the outlet updates its article: extracted again, with the new rules
    (folder / "a.txt").write_text(STORY + "Divers inspected the hull on Wednesday.\n", encoding="utf-8")
    out = _ingest(folder, path, capsys)
    assert "0 new, 1 changed, 1 unchanged" in out
    after = _by_text(db)
    assert UNPUNCTUATED in after  # a sentence that was not a claim is one now ...
    assert ASIDE not in after  # ... and one that was is not
    assert after[KEPT] == before[KEPT]  # ids do not shift: the judgement is where it was
    kept = db.judgement(after[KEPT], "alice")
    assert (kept.status, kept.note) == ("corroborated", "port authority confirms")
    assert {k: v for k, v in after.items() if k != UNPUNCTUATED and "Divers" not in k} == {
        k: v for k, v in before.items() if k != ASIDE
    }

    # the judgements on the dropped claim: reported by the ingest, kept with their history, exported
    line = next(x for x in out.splitlines() if "judgements kept on vanished claims" in x)
    assert "2" in line.split("vanished claims", 1)[1]
    orphans = sorted((j.claim_id, j.reviewer, j.status) for j in db.orphaned())
    assert orphans == [(before[ASIDE], "alice", "unsourced"), (before[ASIDE], "bob", "disputed")]
    history = [h for j in db.history(before[ASIDE]) for h in (j.history or ())]
    assert [(h.reviewer, h.status, h.note) for h in history if h.reviewer == "alice"] == [
        ("alice", "unsourced", "whose memory?")
    ]
    rows = list(export_rows(db))
    tail = [(r["claim_id"], r["reviewer"], r["status"]) for r in rows if r["claim_id"] == before[ASIDE]]
    assert sorted(tail) == [(before[ASIDE], "alice", "unsourced"), (before[ASIDE], "bob", "disputed")]
    assert all(r["text"] == "" for r in rows if r["claim_id"] == before[ASIDE])
    db.tag(before[ASIDE], "disputed", "alice")  # still editable
    assert db.judgement(before[ASIDE], "alice").status == "disputed"

    code = main(["doctor", "--db", str(path)])
    report = capsys.readouterr().out
    assert "judgement(s) on claims no longer in the corpus (kept)" in report and before[ASIDE] in report
    assert code in (0, 1)


def test_csv_export_keeps_the_orphans_at_the_end(story, capsys, monkeypatch, tmp_path):
    folder, path = story
    with monkeypatch.context() as old:
        _old_rules(old)
        _ingest(folder, path, capsys)
    db = Database.open(path)
    aside = _by_text(db)[ASIDE]
    db.tag(aside, "unsourced", "alice", note="whose memory?")
    (folder / "a.txt").write_text(STORY.replace("Monday", "Sunday"), encoding="utf-8")
    _ingest(folder, path, capsys)
    target = tmp_path / "out.csv"
    assert main(["export", "--db", str(path), "--format", "csv", "--output", str(target)]) == 0
    capsys.readouterr()
    rows = list(csv.DictReader(io.StringIO(target.read_text(encoding="utf-8"))))
    assert (rows[-1]["claim_id"], rows[-1]["reviewer"], rows[-1]["note"]) == (aside, "alice", "whose memory?")
