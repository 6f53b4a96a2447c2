"""`claimdesk review` over a real SSH session, and what a dropped connection does to it.

A throwaway OpenSSH server (`/usr/sbin/sshd -D`, its own host key, config and authorised key,
listening on 127.0.0.1 only) serves a login; the ssh client runs in tmux with `-tt`, so the
app gets a real pseudo-terminal on the server side. A reviewer tags claims, then the client
is killed (-9, no goodbye): sshd closes the pty and the app gets SIGHUP. Every tag the
reviewer saw on screen must be in the database, the app must be gone, and the database must
open cleanly.
"""

from __future__ import annotations

import shlex
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from terminal_harness import (
    SshServer,
    TmuxSession,
    descendants,
    frame,
    kill,
    processes_matching,
    progress_shown,
    read_proc,
    short_copy,
    ssh_available,
    start_time,
    tmux_available,
    wait_gone,
    wait_until,
)

ROOT = Path(__file__).resolve().parent.parent
CLAIMDESK = Path(sys.executable).parent / "claimdesk"

_missing = ssh_available() or (None if tmux_available() else "tmux is not installed")
if _missing:
    print(f"test_terminal_ssh: skipped: {_missing}", file=sys.stderr)

pytestmark = [
    pytest.mark.xdist_group("terminal"),
    pytest.mark.skipif(_missing is not None, reason=_missing or ""),
]


@pytest.fixture
def sshd(tmp_path):
    server = SshServer(tmp_path / "sshd")
    try:
        server.start()
    except RuntimeError as error:  # a broken sshd here is a failure, not a skip
        pytest.fail(str(error))
    yield server
    server.stop()


@pytest.fixture
def db_path(sample_db):
    """The ingested sample database, copied to a short path (the status bar shows it)."""
    path = short_copy(sample_db)
    yield path
    shutil.rmtree(path.parent, ignore_errors=True)


def server_side_claimdesk(sshd: SshServer, db: Path) -> list:
    """The claimdesk processes sshd started for this database (not the ssh client, not a shell):
    their argv has the db path as an argument of its own."""
    return [
        p
        for p in descendants(sshd.proc.pid)
        if p.alive and str(db) in p.argv and any(a.endswith("/claimdesk") for a in p.argv)
    ]


@pytest.fixture
def leftover():
    """(pid, start time) of server-side processes a test started: killed at the end if a
    failing test left them running."""
    started: list[tuple[int, int | None]] = []
    yield started
    for pid, began in started:
        if start_time(pid) == began:
            kill(pid)


def test_review_over_ssh_keeps_tags_when_the_connection_drops(sshd, db_path, tmp_path, leftover):
    """Tag one claim (saved), tag a second while its save is held up by another writer's lock,
    then drop the connection: the second tag goes to the recovery file at once (should the app
    be killed next, it is kept), the app still saves it, removes the file (nothing is unsaved),
    then goes."""
    import json

    from claimdesk.store.database import Database, shard_of

    db = Database.open(db_path)
    corpus = db.corpus()
    total = len(corpus.claims)
    claims = corpus.claims_of(corpus.articles[0].id)
    c1, c2 = claims[0], claims[1]

    state = tmp_path / "state"  # the remote user's XDG_STATE_HOME: recovery files go there
    recovery_files = state / "claimdesk" / "recovery"
    remote = (
        f"cd {shlex.quote(str(ROOT))} && TERM=xterm-256color XDG_STATE_HOME={shlex.quote(str(state))} "
        f"{shlex.quote(str(CLAIMDESK))} review --db {shlex.quote(str(db_path))} --reviewer bob"
    )
    with TmuxSession(sshd.ssh_argv(remote), width=120, height=40, workdir=tmp_path) as t:
        try:
            t.wait_for(f"Claim 1/{len(claims)}", timeout=30)
        except AssertionError as error:
            raise AssertionError(f"{error}\nsshd log:\n{sshd.log_text()}") from None
        t.wait_for(progress_shown("bob", 0, total))

        # the app really runs on the server side of the SSH session; its parent is the session's
        # sshd process ("sshd: root@pts/N", which holds the pty) or the login shell under it
        (app,) = wait_until(lambda: server_side_claimdesk(sshd, db_path), 10, "no claimdesk process under sshd")
        leftover.append((app.pid, start_time(app.pid)))
        parent = read_proc(app.ppid)
        assert parent is not None and parent.pid != sshd.proc.pid, (app, parent)
        client = read_proc(t.pane_pid())
        assert client is not None and Path(client.argv[0]).name == "ssh", client

        # c: seen on screen, saved
        t.send_keys("c")
        t.wait_for(progress_shown("bob", 1, total))
        wait_until(lambda: (j := db.judgement(c1.id, "bob")) and j.status == "corroborated", 20,
                   "the first tag never reached the database")

        # d while another writer holds the lock of that claim's judgements: on screen, not saved yet
        held = db._locked(db._shard_name(shard_of(c2.id, db.shards)))
        held.__enter__()
        try:
            t.send_keys("d")
            t.wait_for(progress_shown("bob", 2, total))
            screen = t.wait_for("saving 1…")

            # the connection drops: the client dies without a word, sshd hangs up the pty
            kill(client.pid)
            # its session's sshd (or shell) is gone: the pty is hung up, the app has had SIGHUP
            assert not wait_gone([parent.pid], timeout=15), (
                f"{parent} outlived the dropped connection; sshd log:\n{sshd.log_text()}"
            )
            assert db.judgement(c2.id, "bob") is None  # still held up by the lock
            (kept,) = wait_until(lambda: list(recovery_files.glob("*.json")), 10,
                                 "no recovery file after the hangup with a save pending")
            doc = json.loads(kept.read_text())
            assert [(c["claim_id"], c["status"]) for c in doc["changes"]] == [(c2.id, "disputed")]
            assert oct(kept.stat().st_mode & 0o777) == "0o600"
            assert read_proc(app.pid) is not None and read_proc(app.pid).alive, (
                f"claimdesk died on the hangup with a save pending; screen before:\n{frame(screen)}"
            )
        finally:
            held.__exit__(None, None, None)

        # the lock is free: the pending tag lands, then the app leaves
        still_running = wait_gone([app.pid], timeout=20)
        assert not still_running, (
            f"claimdesk kept running 20 s after the hangup: {still_running}; tags in the db: "
            f"{ {j.claim_id: j.status for j in db.judgements('bob')} }\nscreen before:\n{frame(screen)}"
        )
        assert not server_side_claimdesk(sshd, db_path)
        assert not list(recovery_files.glob("*.json"))  # saved after all: nothing to replay
        assert not processes_matching(str(db_path)), processes_matching(str(db_path))  # `pgrep -f DB`

    # every tag the reviewer saw is saved, and the database is whole
    db = Database.open(db_path)
    mine = {j.claim_id: j.status for j in db.judgements("bob")}
    assert mine == {c1.id: "corroborated", c2.id: "disputed"}, f"screen at the drop:\n{frame(screen)}"
    assert len(db.corpus().claims) == total
    doctor = subprocess.run(
        [str(CLAIMDESK), "doctor", "--db", str(db_path)], capture_output=True, text=True, timeout=60
    )
    assert doctor.returncode == 0, doctor.stdout + doctor.stderr
    assert "healthy" in doctor.stdout
