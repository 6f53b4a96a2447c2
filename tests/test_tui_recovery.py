"""The recovery file of unsaved review changes (tui/recovery.py): private, never through a
symlink, every field checked, and redo commands a shell runs exactly as meant."""

from __future__ import annotations

import json
import os
import shlex
import stat
from pathlib import Path

import pytest

from claimdesk.tui import recovery
from claimdesk.tui.recovery import RecoveryError, Unsaved, collapse, redo_commands
from claimdesk.tui.save_queue import Op


def _folder(tmp_path: Path) -> Path:
    return tmp_path / "state" / "claimdesk" / "recovery"


def _other_session(name: str) -> str:
    """The same file name as written by another (ended) process."""
    return name.replace(f"-{os.getpid()}-", "-999999999-")


def test_collapse_keeps_the_last_wish_per_claim_in_first_seen_order():
    ops = [Op("tag", "c1", "disputed"), Op("note", "c2", note="n"), Op("untag", "c1"), Op("note", "c1", note="x"),
           Op("tag", "c2", "unsourced")]
    assert collapse(ops) == [Unsaved("c1", "", "x"), Unsaved("c2", "unsourced", "n")]


def test_written_0600_in_a_0700_folder_and_read_back(tmp_path):
    db = tmp_path / "claimdesk.db"
    db.mkdir()
    folder = _folder(tmp_path)
    name = recovery.new_file_name(db, "ana")
    changes = [Unsaved("c1abc", "disputed", None, "Putin signed…"), Unsaved("c2abc", None, "a note"),
               Unsaved("c3abc", "corroborated", reason="unknown claim id")]
    path = recovery.write(folder, name, db, "ana", changes)
    assert stat.S_IMODE(path.stat().st_mode) == 0o600 and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert recovery.pending(folder, db, "ana", own=name) == ([], [])  # a session never gets its own file
    path.rename(folder / _other_session(name))
    (found,), problems = recovery.pending(folder, db, "ana")
    assert problems == [] and found.changes == tuple(changes)
    assert [c.claim_id for c in found.replayable] == ["c1abc", "c2abc"]
    assert [c.claim_id for c in found.set_aside] == ["c3abc"]
    assert recovery.pending(folder, db, "bob") == ([], [])  # another reviewer's: not offered
    other_db = tmp_path / "other.db"
    other_db.mkdir()
    assert recovery.pending(folder, other_db, "ana") == ([], [])  # another database's: not offered
    assert recovery.write(folder, name, db, "ana", []) is None  # nothing unsaved: no file


def test_a_planted_symlink_is_replaced_never_written_through(tmp_path):
    db = tmp_path / "claimdesk.db"
    db.mkdir()
    folder = _folder(tmp_path)
    folder.mkdir(parents=True, mode=0o700)
    victim = tmp_path / "victim.sh"
    victim.write_text("echo hello\n")
    name = recovery.new_file_name(db, "ana")
    (folder / name).symlink_to(victim)
    (folder / f".{name}.tmp").symlink_to(victim)  # the temporary name too
    path = recovery.write(folder, name, db, "ana", [Unsaved("c1abc", "disputed")])
    assert victim.read_text() == "echo hello\n"
    assert not path.is_symlink() and json.loads(path.read_text())["changes"][0]["claim_id"] == "c1abc"


@pytest.mark.parametrize("problem", ["symlink", "group-writable"])
def test_a_recovery_folder_that_is_not_private_is_refused_with_one_line(tmp_path, problem):
    db = tmp_path / "claimdesk.db"
    db.mkdir()
    folder = _folder(tmp_path)
    folder.parent.mkdir(parents=True)
    if problem == "symlink":
        elsewhere = tmp_path / "elsewhere"
        elsewhere.mkdir(mode=0o700)
        folder.symlink_to(elsewhere)
    else:
        folder.mkdir()
        os.chmod(folder, 0o770)
    with pytest.raises(RecoveryError) as err:
        recovery.write(folder, recovery.new_file_name(db, "ana"), db, "ana", [Unsaved("c1abc", "disputed")])
    assert str(folder) in str(err.value) and "\n" not in str(err.value)
    assert recovery.pending(folder, db, "ana")[0] == []
    assert not any(p.name.endswith(".json") for p in tmp_path.rglob("*"))


@pytest.mark.parametrize("change, why", [
    ({"claim_id": "c1; rm -rf ~", "status": "disputed"}, "no valid claim id"),
    ({"claim_id": "c1abc", "status": "approved"}, "unknown status"),
    ({"claim_id": "c1abc", "note": 5}, "malformed note"),
    ({"claim_id": "c1abc", "extra": 1}, "malformed"),
])
def test_every_field_is_checked(tmp_path, change, why):
    db = tmp_path / "claimdesk.db"
    db.mkdir()
    folder = _folder(tmp_path)
    name = _other_session(recovery.new_file_name(db, "ana"))
    recovery.write(folder, name, db, "ana", [Unsaved("c1abc", "disputed")])
    doc = json.loads((folder / name).read_text())
    doc["changes"] = [change]
    (folder / name).write_text(json.dumps(doc))
    found, (problem,) = recovery.pending(folder, db, "ana")
    assert found == [] and name in problem and why in problem


def test_redo_commands_are_complete_and_quoted_for_every_kind_of_change(tmp_path):
    db = tmp_path / "my story.db"
    reviewer = "o'neil $(id)"
    changes = [
        Unsaved("c1abc", "disputed", None),
        Unsaved("c2abc", "", None),
        Unsaved("c3abc", None, 'said "x"; `id`'),  # a note alone: the status it has on screen
        Unsaved("c4abc", "corroborated", "why"),
        Unsaved("c5abc", "unsourced", reason="unknown claim id 'c5abc'", text="Gone sentence."),
    ]
    lines = redo_commands(changes, db, reviewer, status_of={"c3abc": "unsourced"}.get)
    where = ["--db", str(db.resolve()), "--reviewer", reviewer]
    assert [shlex.split(line) for line in lines[:4]] == [
        ["claimdesk", "tag", "c1abc", "disputed", *where],
        ["claimdesk", "untag", "c2abc", *where],
        ["claimdesk", "tag", "c3abc", "unsourced", *where, "--note", 'said "x"; `id`'],
        ["claimdesk", "tag", "c4abc", "corroborated", *where, "--note", "why"],
    ]
    assert lines[4].startswith("# not saved, cannot be: c5abc unsourced") and "Gone sentence." in lines[4]
