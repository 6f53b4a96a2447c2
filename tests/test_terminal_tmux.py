"""The installed `claimdesk review` in a real terminal (tmux): keys in, screen and database out.

Each test starts the real console script (`.venv/bin/claimdesk`) in a detached tmux session of
a fixed size on a private tmux socket, types what a reviewer types, and checks
  * what a person sees (tmux capture-pane: the status bar, the claim, the dialogs), and
  * the hard facts: the judgements and their history in the database (store API) and the
    exported CSV (csv module).
Every step waits on the screen or the database (polling); there is no sleep-and-hope.
"""

from __future__ import annotations

import csv
import shutil
import sys
from pathlib import Path

import pytest

from terminal_harness import TmuxSession, frame, progress_shown, short_copy, tmux_available, wait_until

CLAIMDESK = Path(sys.executable).parent / "claimdesk"
NOTE = 'checked against TASS, "state media" — 2 sources'

pytestmark = [
    pytest.mark.xdist_group("terminal"),
    pytest.mark.skipif(not tmux_available(), reason="tmux is not installed (.ci/run installs it)"),
]


# ------------------------------------------------------------------------------------ helpers


def status_line(screen: str, reviewer: str) -> str:
    """The status bar: the row that starts with the reviewer's name."""
    for line in screen.splitlines():
        if line.startswith(f" {reviewer} "):
            return line
    raise AssertionError(f"no status bar for {reviewer!r} on screen:\n{frame(screen)}")


def all_of(*texts: str):
    def check(screen: str) -> bool:
        return all(t in screen for t in texts)

    check.__name__ = " and ".join(repr(t) for t in texts)
    return check


def help_row(key: str, word: str):
    """Predicate: the help lists `key` (alone or first among its keys) with `word` in its text."""

    def check(screen: str) -> bool:
        for line in screen.splitlines():
            inner = line.strip("│ ").lower()
            if inner.startswith(f"{key} ") and word in inner:
                return True
        return False

    check.__name__ = f"a help row '{key} … {word}'"
    return check


def opening_words(text: str, limit: int = 40) -> str:
    """The start of a claim, cut at a word boundary: short enough to sit on one screen row."""
    if len(text) <= limit:
        return text
    cut = text[:limit]
    return cut[: cut.rindex(" ")] if " " in cut else cut


def judgement(db_path: Path, claim_id: str, reviewer: str):
    from claimdesk.store.database import Database

    return Database.open(db_path).judgement(claim_id, reviewer)


def wait_status(db_path: Path, claim_id: str, reviewer: str, status: str, note: str | None = None):
    """Poll the database until `reviewer`'s judgement of the claim has `status` (and `note`)."""

    def check():
        j = judgement(db_path, claim_id, reviewer)
        current = (j.status if j else "", j.note if j else "")
        if current[0] == status and (note is None or current[1] == note):
            return j or True
        return None

    return wait_until(check, 20, f"{reviewer}'s judgement of {claim_id} never became {status!r}"
                      + (f" with note {note!r}" if note is not None else "")
                      + f"; it is {judgement(db_path, claim_id, reviewer)!r}")


def start_review(db: Path, reviewer: str, workdir: Path, *, width: int, height: int, term: str) -> TmuxSession:
    """`claimdesk review` in tmux; its recovery files go under `workdir`/state (XDG_STATE_HOME),
    never into the user's own state folder."""
    assert CLAIMDESK.exists(), f"the console script is not installed at {CLAIMDESK}"
    return TmuxSession(
        [str(CLAIMDESK), "review", "--db", str(db), "--reviewer", reviewer],
        width=width,
        height=height,
        term=term,
        cwd=workdir,
        workdir=workdir,
        env={"XDG_STATE_HOME": str(workdir / "state")},
    )


@pytest.fixture
def db_path(sample_db):
    """The ingested sample database, copied to a short path (the status bar shows it)."""
    path = short_copy(sample_db)
    yield path
    shutil.rmtree(path.parent, ignore_errors=True)


@pytest.fixture
def corpus(db_path):
    from claimdesk.store.database import Database

    return Database.open(db_path).corpus()


# -------------------------------------------------------------------------------------- tests


def test_review_in_a_120x40_xterm_tag_undo_redo_note_export_quit(db_path, corpus, tmp_path):
    total = len(corpus.claims)
    first_article = corpus.articles[0]
    claims = corpus.claims_of(first_article.id)
    c1, c2 = claims[0], claims[1]
    per_article = len(claims)
    out = tmp_path / "alice export.csv"

    with start_review(db_path, "alice", tmp_path, width=120, height=40, term="xterm-256color") as t:
        assert t.size() == (120, 40)
        # what a person sees first: the first article, its first claim, the status bar at 0/N
        screen = t.wait_for(all_of(f"Claim 1/{per_article}", first_article.title), timeout=30)
        screen = t.wait_for(progress_shown("alice", 0, total))
        assert opening_words(c1.text) in screen
        assert "Sources" in screen and "Evidence" in screen
        bar = status_line(screen, "alice")
        assert str(db_path) in bar, bar

        # c: corroborated; the screen counts it and moves on to the next unreviewed claim
        t.send_keys("c")
        t.wait_for(progress_shown("alice", 1, total))
        t.wait_for(f"Claim 2/{per_article}")
        wait_status(db_path, c1.id, "alice", "corroborated")

        # ctrl+z: undone (back on claim 1, counted out), ctrl+y: redone
        t.send_keys("C-z")
        t.wait_for(progress_shown("alice", 0, total))
        t.wait_for(f"Claim 1/{per_article}")
        wait_status(db_path, c1.id, "alice", "")
        t.send_keys("C-y")
        t.wait_for(progress_shown("alice", 1, total))
        wait_status(db_path, c1.id, "alice", "corroborated")
        assert f"Claim 1/{per_article}" in t.capture()

        # e: a note typed inline, enter saves it
        t.send_keys("e")
        t.wait_for("Note (enter saves, escape cancels)")
        t.type_text(NOTE)
        t.wait_for(NOTE)
        t.send_keys("Enter")
        t.wait_for(f"You: ✓ corroborated · note: {NOTE}")  # the evidence pane shows it back
        wait_status(db_path, c1.id, "alice", "corroborated", NOTE)

        # j then d: the second claim disputed
        t.send_keys("j")
        t.wait_for(f"Claim 2/{per_article}")
        t.send_keys("d")
        t.wait_for(progress_shown("alice", 2, total))
        wait_status(db_path, c2.id, "alice", "disputed")

        # E: export to a path of our choosing (the box offers ./claimdesk-alice.csv first)
        t.send_keys("E")
        t.wait_for(all_of("Export judgements to CSV", "claimdesk-alice.csv"))
        t.send_keys("End", "C-u")
        t.wait_for("claimdesk-alice.csv", gone=True)
        t.type_text(str(out))
        t.wait_for(out.name)
        t.send_keys("Enter")
        t.wait_for("Exported to")
        wait_until(out.exists, 20, f"{out} was never written")

        t.send_keys("q")
        status = t.wait_exit()
        assert status == 0, f"claimdesk review exited {status}:\n{frame(t.capture())}"

    # the database: exactly what was typed, with the undo/redo in the history
    from claimdesk.store.database import Database

    db = Database.open(db_path)
    mine = {j.claim_id: j for j in db.judgements("alice")}
    assert set(mine) == {c1.id, c2.id}
    assert (mine[c1.id].status, mine[c1.id].note) == ("corroborated", NOTE)
    assert (mine[c2.id].status, mine[c2.id].note) == ("disputed", "")
    (h1,) = db.history(c1.id)
    assert [(c.action, c.status, c.note) for c in h1.history] == [
        ("tag", "corroborated", ""),
        ("untag", "", ""),
        ("tag", "corroborated", ""),
        ("note", "corroborated", NOTE),
    ]
    assert {c.reviewer for c in h1.history} == {"alice"}
    (h2,) = db.history(c2.id)
    assert [(c.action, c.status) for c in h2.history] == [("tag", "disputed")]
    assert not (tmp_path / "claimdesk-alice.csv").exists()  # the offered default was replaced

    # the CSV: every claim once (nobody else judged), alice's two rows filled in
    from claimdesk.store.export import COLUMNS

    with out.open(newline="", encoding="utf-8") as fh:
        reader = csv.DictReader(fh)
        assert tuple(reader.fieldnames or ()) == COLUMNS
        rows = list(reader)
    assert len(rows) == total
    assert [r["claim_id"] for r in rows] == [c.id for c in corpus.claims]
    judged = {r["claim_id"]: r for r in rows if r["reviewer"]}
    assert set(judged) == {c1.id, c2.id}
    assert judged[c1.id]["reviewer"] == judged[c2.id]["reviewer"] == "alice"
    assert (judged[c1.id]["status"], judged[c1.id]["note"]) == ("corroborated", NOTE)
    assert (judged[c2.id]["status"], judged[c2.id]["note"]) == ("disputed", "")
    assert judged[c1.id]["text"] == c1.text and judged[c1.id]["source"] == first_article.source
    assert judged[c1.id]["reviewed_at"] == mine[c1.id].updated
    assert all(r["status"] == r["note"] == "" for r in rows if not r["reviewer"])


def test_review_in_an_80x24_screen_terminal_help_accept_clear_retag(db_path, corpus, tmp_path):
    total = len(corpus.claims)
    first_article = corpus.articles[0]
    claims = corpus.claims_of(first_article.id)
    per_article = len(claims)
    # the first claim of the first article that has a suggestion (`a` accepts it)
    i, target = next((i, c) for i, c in enumerate(claims) if (s := corpus.suggestion(c.id)) and s.status)
    suggested = corpus.suggestion(target.id).status
    assert i + 1 < per_article  # there is a claim after it to advance to

    with start_review(db_path, "alice", tmp_path, width=80, height=24, term="screen") as t:
        assert t.size() == (80, 24)
        screen = t.wait_for(all_of(f"Claim 1/{per_article}", opening_words(claims[0].text)), timeout=30)
        screen = t.wait_for(progress_shown("alice", 0, total))

        # ?: the help lists every key, escape closes it
        t.send_keys("?")
        t.wait_for(all_of("claimdesk review — keys"))
        t.wait_for(help_row("c", "corroborated"))
        t.wait_for(help_row("a", "suggestion"))
        t.send_keys("Escape")
        t.wait_for("claimdesk review — keys", gone=True)

        # j … to the suggested claim, a: accepted (and moved on), k: back to it
        if i:
            t.send_keys(*["j"] * i)
        t.wait_for(f"Claim {i + 1}/{per_article}")
        t.send_keys("a")
        t.wait_for(progress_shown("alice", 1, total))
        t.wait_for(f"Claim {i + 2}/{per_article}")
        wait_status(db_path, target.id, "alice", suggested)
        t.send_keys("k")
        t.wait_for(f"Claim {i + 1}/{per_article}")

        # x: cleared (stays put), u: unsourced
        t.send_keys("x")
        t.wait_for(progress_shown("alice", 0, total))
        wait_status(db_path, target.id, "alice", "")
        assert f"Claim {i + 1}/{per_article}" in t.capture()
        t.send_keys("u")
        t.wait_for(progress_shown("alice", 1, total))
        wait_status(db_path, target.id, "alice", "unsourced")

        t.send_keys("q")
        status = t.wait_exit()
        assert status == 0, f"claimdesk review exited {status}:\n{frame(t.capture())}"

    from claimdesk.store.database import Database

    db = Database.open(db_path)
    assert [(j.claim_id, j.status) for j in db.judgements("alice")] == [(target.id, "unsourced")]
    (h,) = db.history(target.id)
    assert [(c.action, c.status) for c in h.history] == [
        ("tag", suggested),
        ("untag", ""),
        ("tag", "unsourced"),
    ]


def test_closing_the_terminal_keeps_the_tags_and_ends_claimdesk(db_path, corpus, tmp_path):
    """The reviewer closes the terminal window (here: the tmux server goes, so the pty closes
    and the app gets SIGHUP). Every tag on screen must be saved, and claimdesk must end: a
    process left behind per closed window would pile up on a shared server."""
    from terminal_harness import wait_gone

    total = len(corpus.claims)
    claims = corpus.claims_of(corpus.articles[0].id)
    c1, c2 = claims[0], claims[1]

    with start_review(db_path, "alice", tmp_path, width=120, height=40, term="xterm-256color") as t:
        t.wait_for(f"Claim 1/{len(claims)}", timeout=30)
        t.wait_for(progress_shown("alice", 0, total))
        t.send_keys("c")
        t.wait_for(progress_shown("alice", 1, total))
        wait_status(db_path, c1.id, "alice", "corroborated")
        t.send_keys("d")
        t.wait_for(progress_shown("alice", 2, total))
        screen = t.wait_for(lambda s: " saved " in status_line(s, "alice"))

        app = t.program_pid
        t.hang_up()  # the reviewer saw "saved" and closed the window
        left = wait_gone([app], 15)

        from claimdesk.store.database import Database

        saved = {j.claim_id: j.status for j in Database.open(db_path).judgements("alice")}
        assert not left, (
            f"claimdesk (pid {app}) still runs 15 s after its terminal closed; tags in the db: {saved}; "
            f"screen before the close:\n{frame(screen)}"
        )
    assert saved == {c1.id: "corroborated", c2.id: "disputed"}


# ----------------------------------------------------------- a changing database, a lost terminal


def break_shard(db_path: Path, claim_id: str):
    """The claim's shard made unwritable: its history log (judgements/h-NNN.jsonl, which only
    writers touch) becomes a folder, as a repair in progress could leave it, so every write to
    the shard fails, for a reason that passes once `repair()` puts the log back."""
    from claimdesk.store.database import Database, shard_of

    db = Database.open(db_path)
    log = db.path / "judgements" / f"h-{shard_of(claim_id, db.shards):03d}.jsonl"
    moved = log.with_name(log.name + ".away")
    if log.exists():
        log.rename(moved)
    log.mkdir()

    def repair() -> None:
        log.rmdir()
        if moved.exists():
            moved.rename(log)

    return repair


def shard_index(db_path: Path, claim_id: str) -> int:
    from claimdesk.store.database import Database, shard_of

    return shard_of(claim_id, Database.open(db_path).shards)


def test_another_process_reingests_changed_articles_while_a_reviewer_tags(db_path, corpus, sample_dir, tmp_path):
    """Issue 9: the screen notices the re-ingested corpus and reloads it (keeping the place); the
    tag made on a claim the re-ingest removed can never be saved: reported once, set aside, and
    the tags after it land at once (they used to queue behind it for ever, "unsaved 2 (retrying)")."""
    import subprocess

    from tui_fixtures import changed_sample

    total = len(corpus.claims)
    claims = corpus.claims_of(corpus.articles[0].id)
    c1, c2, c3 = claims[0], claims[1], claims[2]
    assert shard_index(db_path, c1.id) not in (shard_index(db_path, c2.id), shard_index(db_path, c3.id))
    story, gone = changed_sample(sample_dir, corpus, tmp_path / "story", claim=0)
    assert gone == c1.id

    with start_review(db_path, "alice", tmp_path, width=120, height=40, term="xterm-256color") as t:
        t.wait_for(f"Claim 1/{len(claims)}", timeout=30)
        t.wait_for(progress_shown("alice", 0, total))
        repair = break_shard(db_path, c1.id)
        t.send_keys("c")  # c1: cannot be written while its shard is broken; the screen moves on
        t.wait_for(lambda s: "retrying" in status_line(s, "alice"))
        t.wait_for(f"Claim 2/{len(claims)}")

        # another reviewer re-ingests the story, c1's sentence rewritten: c1 is gone
        ingest = subprocess.run([str(CLAIMDESK), "ingest", str(story), "--db", str(db_path)],
                                capture_output=True, text=True, timeout=300)
        assert ingest.returncode == 0, ingest.stderr
        t.wait_for("The corpus changed")
        screen = t.wait_for(f"Claim 2/{len(claims)}")  # the place kept: c2 is still there
        assert opening_words(c2.text) in screen

        repair()  # the retry now meets a claim that is gone: set aside, reported once
        t.wait_for("Change set aside")
        t.wait_for(lambda s: "retrying" not in status_line(s, "alice") and "unsaved" not in status_line(s, "alice"))

        t.send_keys("d")  # c2, then c3: saved at once
        wait_status(db_path, c2.id, "alice", "disputed")
        t.send_keys("u")
        wait_status(db_path, c3.id, "alice", "unsourced")

        t.send_keys("q")
        status = t.wait_exit()
        screen = t.tmux("capture-pane", "-p", "-J", "-S", "-", "-t", t.name).stdout  # with what scrolled away
    assert status == 1, f"claimdesk review exited {status}:\n{frame(screen)}"
    assert "1 change(s) could NOT be saved" in screen, frame(screen)
    assert f"# not saved, cannot be: {c1.id} corroborated" in screen
    assert judgement(db_path, c1.id, "alice") is None
    (kept,) = (tmp_path / "state" / "claimdesk" / "recovery").glob("*.json")
    assert oct(kept.stat().st_mode & 0o777) == "0o600"


def test_a_hang_up_with_unsaved_tags_keeps_them_for_the_next_start_to_replay(db_path, corpus, tmp_path):
    """SIGHUP (a dropped SSH connection) while a tag cannot be saved: the tag goes to a 0600
    recovery file at once (it survives the process being killed afterwards), and the next
    `claimdesk review` offers to replay it; enter replays, and it lands."""
    import json

    from terminal_harness import kill, wait_gone

    total = len(corpus.claims)
    claims = corpus.claims_of(corpus.articles[0].id)
    c1 = claims[0]
    folder = tmp_path / "state" / "claimdesk" / "recovery"

    with start_review(db_path, "alice", tmp_path, width=120, height=40, term="xterm-256color") as t:
        t.wait_for(f"Claim 1/{len(claims)}", timeout=30)
        t.wait_for(progress_shown("alice", 0, total))
        repair = break_shard(db_path, c1.id)
        t.send_keys("c")
        t.wait_for(lambda s: "retrying" in status_line(s, "alice"))
        app = t.program_pid
        t.hang_up()
        files = wait_until(lambda: list(folder.glob("*.json")), 15, f"no recovery file in {folder} after SIGHUP")
        kill(app)  # the session's processes are killed after the hang-up: the file must already hold it
        assert not wait_gone([app], 15)
    (file,) = files
    assert oct(file.stat().st_mode & 0o777) == "0o600"
    doc = json.loads(file.read_text())
    assert [(c["claim_id"], c["status"]) for c in doc["changes"]] == [(c1.id, "corroborated")]
    assert judgement(db_path, c1.id, "alice") is None

    repair()
    with start_review(db_path, "alice", tmp_path, width=120, height=40, term="xterm-256color") as t:
        t.wait_for("1 change(s) from a session that ended", timeout=30)
        t.send_keys("Enter")
        t.wait_for(progress_shown("alice", 1, total))
        wait_status(db_path, c1.id, "alice", "corroborated")
        t.send_keys("q")
        status = t.wait_exit()
        assert status == 0, f"claimdesk review exited {status}:\n{frame(t.capture())}"
    assert not file.exists() and not list(folder.glob("*.json"))
