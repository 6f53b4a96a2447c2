"""The command line as a new user meets it: --version, `claims`, claim ids by unique prefix,
statuses by first letter, help for every command, output piped at full width, refused option
combinations, errors naming the user's own path, shell completion."""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
from importlib.metadata import version
from pathlib import Path

import pytest

from claimdesk.tui.cli import main
from store_fixtures import store_corpus_parts, store_db, store_db_template  # noqa: F401

BIN = Path(sys.executable).parent


@pytest.fixture(autouse=True)
def no_user_config(tmp_path, monkeypatch):
    monkeypatch.setenv("CLAIMDESK_CONFIG", str(tmp_path / "no-config.toml"))
    for var in ("CLAIMDESK_DB", "CLAIMDESK_KEYS", "CLAIMDESK_AUTO_ADVANCE"):
        monkeypatch.delenv(var, raising=False)
    monkeypatch.setenv("CLAIMDESK_REVIEWER", "ana")


def run(capsys, *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def claimdesk(*args: str, **kw) -> subprocess.CompletedProcess:
    return subprocess.run([str(BIN / "claimdesk"), *args], capture_output=True, text=True, timeout=120,
                          stdin=subprocess.DEVNULL, **kw)


def unique_prefix(claim_id: str, ids: list[str]) -> str:
    return next(claim_id[:n] for n in range(1, len(claim_id) + 1)
                if sum(i.startswith(claim_id[:n]) for i in ids) == 1)


def test_version():
    result = claimdesk("--version")
    assert result.returncode == 0 and result.stdout.strip() == f"claimdesk {version('claimdesk')}"


def test_claims_lists_and_filters(store_db, capsys):
    corpus = store_db.corpus()
    db = str(store_db.path)
    claims = corpus.claims
    code, out, _ = run(capsys, "claims", "--db", db, "--ids")
    assert code == 0 and out.split() == [c.id for c in claims]
    store_db.tag(claims[0].id, "disputed", "ana")
    store_db.tag(claims[1].id, "corroborated", "ben")
    _, out, _ = run(capsys, "claims", "--db", db, "--ids", "--status", "d")
    assert out.split() == [claims[0].id]
    _, out, _ = run(capsys, "claims", "--db", db, "--ids", "--status", "c")
    assert out.split() == []  # ben's, not ana's
    _, out, _ = run(capsys, "claims", "--db", db, "--ids", "--status", "c", "--everyone")
    assert out.split() == [claims[1].id]
    _, out, _ = run(capsys, "claims", "--db", db, "--ids", "--unreviewed")
    assert out.split() == [c.id for c in claims[1:]]
    _, out, _ = run(capsys, "claims", "--db", db, "--ids", "--unreviewed", "--everyone")
    assert out.split() == [c.id for c in claims[2:]]
    word = claims[2].text.split()[-1].strip(".,").upper()
    _, out, _ = run(capsys, "claims", "--db", db, "--ids", "--search", word)
    assert claims[2].id in out.split()
    assert all(word.casefold() in corpus.claim(i).text.casefold() for i in out.split())
    article = corpus.articles[1]
    _, out, _ = run(capsys, "claims", "--db", db, "--ids", "--article", article.id[:6])
    assert out.split() == [c.id for c in claims if c.article_id == article.id]
    code, _, err = run(capsys, "claims", "--db", db, "--article", "no such outlet")
    assert code == 2 and "no article matches 'no such outlet'" in err
    # the table: id, outlet, kind, suggestion, your status, text — whole, when piped
    _, out, _ = run(capsys, "claims", "--db", db)
    row = next(line for line in out.splitlines() if claims[0].id in line)
    assert corpus.articles[0].outlet in row and claims[0].kind in row and "disputed" in row
    assert claims[0].text in row


def test_claim_id_prefixes_everywhere(store_db, capsys):
    db = str(store_db.path)
    ids = [c.id for c in store_db.corpus().claims]
    target = ids[4]
    prefix = unique_prefix(target, ids)
    assert len(prefix) < len(target)
    code, out, _ = run(capsys, "tag", prefix, "u", "--db", db, "--note", "by prefix")
    assert code == 0 and out.strip() == f"{target}: unsourced (ana)"
    code, out, _ = run(capsys, "history", prefix, "--db", db)
    assert code == 0 and out.startswith(f"{target}: ") and "by prefix" in out
    code, out, _ = run(capsys, "untag", prefix, "--db", db)
    assert code == 0 and out.strip() == f"{target}: cleared (ana)"
    # ambiguous: every candidate listed, nothing written
    ambiguous = next(i[:2] for i in ids if 2 <= sum(j.startswith(i[:2]) for j in ids) <= 10)
    candidates = sorted(i for i in ids if i.startswith(ambiguous))
    code, _, err = run(capsys, "tag", ambiguous, "d", "--db", db)
    assert code == 2 and f"{ambiguous!r} matches {len(candidates)} claims" in err
    assert [line.split()[0] for line in err.splitlines()[1:]] == candidates
    assert not [j for j in store_db.judgements() if j.status == "disputed"]


@pytest.mark.parametrize("given, status", [("c", "corroborated"), ("D", "disputed"), ("uns", "unsourced"),
                                           ("corroborated", "corroborated")])
def test_statuses_by_first_letter(store_db, capsys, given, status):
    claim = store_db.corpus().claims[0].id
    code, out, _ = run(capsys, "tag", claim, given, "--db", str(store_db.path))
    assert code == 0 and out.strip() == f"{claim}: {status} (ana)"


def test_an_unknown_status_is_refused(store_db):
    result = claimdesk("tag", store_db.corpus().claims[0].id, "x", "--db", str(store_db.path))
    assert result.returncode == 2 and "'x' is not a status" in result.stderr


class Recorder:
    """Stands in for argparse's sub-parsers object while the command modules register, and
    keeps every command with its description and arguments (argparse's public calls only)."""

    def __init__(self, sub) -> None:
        self.sub = sub
        self.commands: dict[str, tuple[dict, list[argparse.Action]]] = {}

    def add_parser(self, name, **kw):
        parser = self.sub.add_parser(name, **kw)
        actions: list[argparse.Action] = []
        self.commands[name] = (kw, actions)

        def recording(add):
            def add_argument(*a, **k):
                action = add(*a, **k)
                actions.append(action)
                return action
            return add_argument

        parser.add_argument = recording(parser.add_argument)
        make_group = parser.add_mutually_exclusive_group

        def add_group(*a, **k):
            group = make_group(*a, **k)
            group.add_argument = recording(group.add_argument)
            return group

        parser.add_mutually_exclusive_group = add_group
        return parser


def test_every_command_and_argument_has_help():
    import importlib

    from claimdesk.tui.cli import COMMAND_MODULES

    recorder = Recorder(argparse.ArgumentParser(prog="claimdesk").add_subparsers())
    for name in COMMAND_MODULES:
        importlib.import_module(f"claimdesk.tui.commands.{name}").register(recorder)
    assert {"tag", "untag", "history", "stats", "agreement", "claims", "config", "demo", "completion"} <= set(
        recorder.commands)
    for name, (kw, actions) in recorder.commands.items():
        assert kw.get("help") and kw.get("description"), f"`claimdesk {name}` lacks help or a description"
        for action in actions:
            assert action.help, f"claimdesk {name}: {action.dest} has no help"


def test_history_piped_keeps_whole_lines(store_db):
    claim = store_db.corpus().claims[0]
    note = "a long note " * 12
    store_db.tag(claim.id, "disputed", "a-reviewer-with-a-long-name", note=note.strip())
    env = {**os.environ, "COLUMNS": "80"}
    result = claimdesk("history", claim.id, "--db", str(store_db.path), env=env)
    assert result.returncode == 0
    (row,) = [line for line in result.stdout.splitlines() if "a-reviewer-with-a-long-name" in line]
    stamp = store_db.judgement(claim.id, "a-reviewer-with-a-long-name").updated
    assert stamp in row and note.strip() in row and len(row) > 80


def test_adjudicator_without_final_is_refused(store_db, capsys):
    code, out, err = run(capsys, "export", "--db", str(store_db.path), "--adjudicator", "chair")
    assert code == 2 and out == "" and "--adjudicator only counts with --final" in err


def test_export_errors_name_the_given_path(store_db, capsys, tmp_path):
    db = str(store_db.path)
    code, _, err = run(capsys, "export", "--db", db, "-o", "/missing/dir/x.csv")
    assert code == 2 and err == "claimdesk: /missing/dir/x.csv: cannot write: the folder /missing/dir does not exist\n"
    corpus = store_db.path / "corpus.json"
    before = corpus.read_bytes()
    code, _, err = run(capsys, "export", "--db", db, "-o", str(corpus))
    assert code == 2 and f"claimdesk: {corpus}: inside the database folder" in err
    assert corpus.read_bytes() == before
    code, _, err = run(capsys, "export", "--db", db, "-o", str(tmp_path))
    assert code == 2 and err == f"claimdesk: {tmp_path}: is a folder; give a file name\n"
    code, _, err = run(capsys, "export", "--db", db, "-o", "/proc/x.csv")  # no file can be made there
    assert code == 2 and err.startswith("claimdesk: /proc/x.csv: cannot write: ") and ".tmp" not in err


def test_export_mode(store_db, capsys, tmp_path):
    target = tmp_path / "shared.csv"
    code, _, _ = run(capsys, "export", "--db", str(store_db.path), "-o", str(target), "--mode", "640")
    assert code == 0 and oct(target.stat().st_mode & 0o777) == "0o640"
    result = claimdesk("export", "--db", str(store_db.path), "-o", str(target), "--mode", "755")
    assert result.returncode == 2 and "--mode" in result.stderr


@pytest.mark.parametrize("shell", ["bash", "zsh", "fish"])
def test_completion_scripts(shell):
    result = claimdesk("completion", shell)
    assert result.returncode == 0
    script = result.stdout
    for command in ("ingest", "review", "claims", "tag", "export", "config", "demo"):
        assert command in script
    assert "--adjudicator" in script and "--db" in script
    if shutil.which(shell):
        check = subprocess.run([shell, "-n"], input=script, capture_output=True, text=True, timeout=60)
        assert check.returncode == 0, check.stderr
    if shell == "bash":
        # complete "claimdesk ta<TAB>" and "claimdesk export --fo<TAB>" in a real bash
        probe = script + """
COMP_WORDS=(claimdesk ta); COMP_CWORD=1; COMP_LINE="claimdesk ta"; COMP_POINT=${#COMP_LINE}
_shtab_claimdesk; echo "sub: ${COMPREPLY[*]}"
COMP_WORDS=(claimdesk export --fo); COMP_CWORD=2; COMP_LINE="claimdesk export --fo"; COMP_POINT=${#COMP_LINE}
_shtab_claimdesk; echo "opt: ${COMPREPLY[*]}"
"""
        out = subprocess.run(["bash", "-c", probe], capture_output=True, text=True, timeout=60).stdout
        assert "sub: tag" in out and "opt: --format" in out, out


def test_sample_story_is_found_and_demo_needs_a_terminal(tmp_path):
    from claimdesk.tui.sample import sample_dir

    root = Path(__file__).resolve().parent.parent
    found = sample_dir()
    assert found.resolve() == (root / "sample_data").resolve()  # the editable install: the checkout's folder
    assert sorted(p.name for p in found.glob("*.txt")) == sorted(p.name for p in (root / "sample_data").glob("*.txt"))
    env = {**os.environ, "XDG_DATA_HOME": str(tmp_path / "data"), "XDG_CONFIG_HOME": str(tmp_path / "config")}
    where = claimdesk("demo", "--where", env=env)
    assert where.returncode == 0 and where.stdout.strip() == str(tmp_path / "data" / "claimdesk" / "demo.db")
    result = claimdesk("demo", env=env, cwd=tmp_path)
    assert result.returncode == 2 and "demo: needs a terminal; in a script: claimdesk ingest" in result.stderr
    assert not (tmp_path / "data").exists() and sorted(p.name for p in tmp_path.iterdir()) == []


def test_names_and_notes_are_printed_as_written_never_as_markup(store_db, capsys):
    db = str(store_db.path)
    claims = store_db.corpus().claims
    for c in claims[:2]:
        store_db.tag(c.id, "disputed", "[bold]eve", note="see [/x] and [red]this")
        store_db.tag(c.id, "corroborated", "ana")
    code, out, err = run(capsys, "history", claims[0].id, "--db", db)
    assert code == 0 and "Traceback" not in err
    assert "[bold]eve" in out and "see [/x] and [red]this" in out
    for command in ("stats", "agreement"):
        code, out, _ = run(capsys, command, "--db", db)
        assert code == 0 and "[bold]eve" in out, command
