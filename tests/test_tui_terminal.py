"""`claimdesk review` in a real terminal (a private tmux): TERM=screen, NO_COLOR, 80×24, SIGHUP."""

from __future__ import annotations

import os
import re
import signal
import sys
from pathlib import Path

import pytest

from claimdesk.store.database import Database
from terminal_harness import TmuxSession, tmux_available

BIN = Path(sys.executable).parent

pytestmark = pytest.mark.skipif(not tmux_available(), reason="tmux is not installed")


def review_argv(db: Path) -> list[str]:
    return [str(BIN / "claimdesk"), "review", "--db", str(db), "--reviewer", "ana"]


def test_screen_term_no_color_80x24_marks_statuses_by_symbol_and_quits_saved(sample_db, tmp_path):
    env = {"NO_COLOR": "1", "PATH": os.environ.get("PATH", "")}
    with TmuxSession(review_argv(sample_db), width=80, height=24, term="screen", env=env,
                     workdir=tmp_path) as term:
        screen = term.wait_for("0/", timeout=30)
        assert "ana" in screen and "Sources" not in screen  # narrow: sources pane hidden
        first = Database.open(sample_db).corpus().claims[0]
        term.send_keys("d")
        screen = term.wait_for("✗")  # the status is a symbol on screen, not only a colour
        term.send_keys("c")
        term.wait_for("✓")
        term.send_keys("q")
        assert term.wait_exit(20) == 0
    assert Database.open(sample_db).judgement(first.id, "ana").status == "disputed"


def test_sighup_from_a_dropped_session_saves_and_exits(sample_db, tmp_path):
    with TmuxSession(review_argv(sample_db), width=120, height=40, workdir=tmp_path) as term:
        term.wait_for("Sources", timeout=30)  # wide enough: the sources pane shows
        first = Database.open(sample_db).corpus().claims[0]
        term.send_keys("u")
        # the status bar's count: "?" alone is on screen before the key is handled ("? Help")
        term.wait_for(lambda screen: re.search(r"\bana\s+1/\d", screen) is not None)
        os.kill(term.pane_pid(), signal.SIGHUP)
        assert term.wait_exit(20) == 128 + signal.SIGHUP
    assert Database.open(sample_db).judgement(first.id, "ana").status == "unsourced"


def test_ctrl_z_ctrl_y_undo_redo_and_ctrl_c_quits_in_a_real_terminal(sample_db, tmp_path):
    argv = review_argv(sample_db) + ["--no-advance"]
    total = len(Database.open(sample_db).corpus().claims)
    with TmuxSession(argv, width=100, height=30, workdir=tmp_path) as term:
        term.wait_for(f"0/{total}", timeout=30)
        term.send_keys("d")
        term.wait_for(f"1/{total}")
        term.send_keys("C-z")  # undo, not the shell's suspend
        term.wait_for(f"0/{total}")
        term.send_keys("C-y")
        term.wait_for(f"1/{total}")
        term.send_keys("C-c")
        assert term.wait_exit(20) == 0
    first = Database.open(sample_db).corpus().claims[0]
    history = Database.open(sample_db).history(first.id)[0].history
    assert [(c.action, c.status) for c in history] == [("tag", "disputed"), ("untag", ""), ("tag", "disputed")]
