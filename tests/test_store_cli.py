"""The store's commands: tag, untag, history, export, stats, agreement, doctor."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest

from claimdesk.store.database import CORPUS_FILE, Database
from claimdesk.store.export import read_csv
from claimdesk.tui.cli import main
from store_fixtures import store_corpus_parts, store_db, store_db_template  # noqa: F401

ROOT = Path(__file__).resolve().parent.parent


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_commands_never_import_spacy_or_textual(store_db, tmp_path):
    claim = store_db.corpus().claims[0].id
    db = str(store_db.path)
    script = f"""
import sys, claimdesk.tui.cli
calls = [
    ["tag", {claim!r}, "disputed", "--note", "n", "--db", {db!r}, "--reviewer", "ana"],
    ["untag", {claim!r}, "--db", {db!r}, "--reviewer", "ana"],
    ["history", {claim!r}, "--db", {db!r}],
    ["export", "--db", {db!r}, "-o", {str(tmp_path / "x.csv")!r}],
    ["export", "--db", {db!r}, "--format", "jsonl", "--final"],
    ["stats", "--db", {db!r}],
    ["agreement", "--db", {db!r}],
    ["doctor", "--db", {db!r}],
]
for argv in calls:
    assert claimdesk.tui.cli.main(argv) == 0, argv
heavy = [m for m in ("spacy", "textual", "thinc") if m in sys.modules]
assert not heavy, heavy
print("clean")
"""
    proc = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, cwd=ROOT)
    assert proc.returncode == 0, proc.stderr
    assert proc.stdout.rstrip().endswith("clean")


def test_tag_untag_history(store_db, capsys, monkeypatch):
    monkeypatch.setenv("CLAIMDESK_REVIEWER", "ana")
    claim = store_db.corpus().claims[3]
    db = str(store_db.path)
    code, out, _ = run(capsys, "tag", claim.id, "disputed", "--note", "only TASS", "--db", db)
    assert code == 0 and "disputed" in out
    code, out, _ = run(capsys, "tag", claim.id, "corroborated", "--db", db, "--reviewer", "ben")
    assert code == 0
    code, out, _ = run(capsys, "untag", claim.id, "--db", db)
    assert code == 0 and "cleared" in out
    ana = store_db.judgement(claim.id, "ana")
    assert [c.action for c in ana.history] == ["tag", "untag"] and ana.note == "only TASS"
    assert store_db.judgement(claim.id, "ben").status == "corroborated"
    code, out, _ = run(capsys, "history", claim.id, "--db", db)
    assert code == 0
    for word in ("ana", "ben", "untag", "only TASS", "corroborated"):
        assert word in out


def test_errors_are_one_line(store_db, capsys, tmp_path):
    db = str(store_db.path)
    for argv in (
        ["tag", "c000000000000", "disputed", "--db", db, "--reviewer", "ana"],
        ["untag", "c000000000000", "--db", db, "--reviewer", "ana"],
        ["history", "c000000000000", "--db", db],
    ):
        code, out, err = run(capsys, *argv)
        assert code != 0
        assert err.count("\n") == 1 and err.startswith("claimdesk: ") and "unknown claim id" in err
    code, _, err = run(capsys, "stats", "--db", str(tmp_path / "missing.db"))
    assert code != 0 and err.count("\n") == 1 and "missing.db" in err
    assert not (tmp_path / "missing.db").exists()
    code, _, err = run(capsys, "export", "--final", "--reviewer", "ana", "--db", db)
    assert code != 0 and err.count("\n") == 1


def test_export_to_file_is_atomic(store_db, capsys, tmp_path):
    claim = store_db.corpus().claims[0]
    store_db.tag(claim.id, "disputed", "ana", note="=cmd|' /C calc'!A0")
    target = tmp_path / "out.csv"
    code, _, err = run(capsys, "export", "--db", str(store_db.path), "-o", str(target), "--bom")
    assert code == 0 and "rows" in err
    raw = target.read_bytes()
    assert raw.startswith(b"\xef\xbb\xbfclaim_id,")
    with open(target, encoding="utf-8-sig", newline="") as fh:
        rows = read_csv(fh)
    assert rows[0]["note"] == "=cmd|' /C calc'!A0"
    assert b"'=cmd" in raw
    # a failing export leaves the earlier file alone, and no temp file behind
    (store_db.path / CORPUS_FILE).write_bytes(b"{broken")
    code, _, err = run(capsys, "export", "--db", str(store_db.path), "-o", str(target))
    assert code != 0 and "corrupt" in err
    assert target.read_bytes() == raw
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(["out.csv", "claimdesk.db"])


def test_export_jsonl_only_stdout(store_db, capsys):
    import orjson

    claims = store_db.corpus().claims
    store_db.tag(claims[0].id, "disputed", "ana")
    store_db.tag(claims[0].id, "corroborated", "ben")
    code, out, _ = run(capsys, "export", "--db", str(store_db.path), "--format", "jsonl", "--only", "disagreements")
    assert code == 0
    rows = [orjson.loads(line) for line in out.splitlines()]
    assert [(r["claim_id"], r["reviewer"]) for r in rows] == [(claims[0].id, "ana"), (claims[0].id, "ben")]


def test_only_choices_match_store_filters():
    from claimdesk.store.filters import FILTERS
    from claimdesk.tui.commands.report import ONLY_CHOICES

    assert tuple(ONLY_CHOICES) == tuple(FILTERS)


def test_stats_and_agreement_tables(store_db, capsys):
    claims = store_db.corpus().claims
    for c, (a, b) in zip(claims, [("disputed", "disputed"), ("corroborated", "disputed"), ("unsourced", "unsourced")]):
        store_db.tag(c.id, a, "ana")
        store_db.tag(c.id, b, "ben")
    code, out, _ = run(capsys, "stats", "--db", str(store_db.path))
    assert code == 0
    assert f"3/{len(claims)}" in out and "ana" in out and "ben" in out
    code, out, _ = run(capsys, "agreement", "--db", str(store_db.path))
    assert code == 0
    assert "kappa" in out.lower() and "alpha" in out.lower()
    assert claims[1].id in out  # the one disagreement is listed


def test_doctor_command(store_db, capsys):
    db = str(store_db.path)
    code, out, _ = run(capsys, "doctor", "--db", db)
    assert code == 0 and "healthy" in out
    claim = store_db.corpus().claims[0]
    store_db.tag(claim.id, "disputed", "ana")
    store_db.tag(claim.id, "unsourced", "ana")
    shard = next((store_db.path / "judgements").glob("j-*.json"))
    shard.write_bytes(b"\x00\x00garbage")
    code, out, err = run(capsys, "doctor", "--db", db)
    assert code != 0 and "corrupt" in out and "--restore" in err
    code, out, err = run(capsys, "doctor", "--db", db, "--restore")
    assert code == 0, err
    assert "rebuilt from its history log" in out and "healthy" in out
    assert Database.open(store_db.path).judgement(claim.id, "ana").status == "unsourced"  # rebuilt: nothing lost
    assert os.path.exists(next(store_db.path.glob("judgements/*.corrupt-*")))


@pytest.mark.parametrize("argv", [["tag", "--help"], ["export", "--help"], ["doctor", "--help"]])
def test_help_works(argv, capsys):
    with pytest.raises(SystemExit) as exc:
        main(argv)
    assert exc.value.code == 0
    assert "usage" in capsys.readouterr().out


def test_export_into_a_closed_pipe_is_quiet(store_db):
    for claim in store_db.corpus().claims[:4]:  # more than a pipe buffer holds
        store_db.tag(claim.id, "disputed", "ana", note="x" * 100_000)
    proc = subprocess.run(
        f"{sys.executable} -m claimdesk.tui.cli export --db {store_db.path} | head -1",
        shell=True,
        capture_output=True,
        text=True,
        cwd=ROOT,
    )
    assert proc.stdout.startswith("claim_id,")
    assert "Traceback" not in proc.stderr and "Error" not in proc.stderr
