"""A shared database no member can turn against another (issue 9, items 1, 2 and 6).

When the suite runs as root, the symlink attacks are played by two real OS accounts (a
throwaway group with an attacker and a victim, removed afterwards); otherwise both roles are
played by the same account, which exercises the same refusals.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import stat
import subprocess
import sys
import tempfile
from pathlib import Path

import orjson
import pytest

from claimdesk.extract.links import link_corpus
from claimdesk.store.database import Database, DatabaseError, shard_of
from claimdesk.store.doctor import check, restore
from claimdesk.tui.cli import main
from store_fixtures import sample_corpus, store_corpus_parts, store_db, store_db_template  # noqa: F401

BIN = Path(sys.executable).parent
AT = "2026-11-01T10:00:00.000000+00:00"
PAYLOAD = "$(id >/tmp/claimdesk-pwned)"


class Account:
    """An OS account the test runs commands as (itself when not root)."""

    def __init__(self, name: str, uid: int, gid: int, home: Path):
        self.name, self.uid, self.gid, self.home = name, uid, gid, home

    def run(self, *argv: str, group: int | None = None) -> tuple[int, str]:
        """`claimdesk ARGV` in a forked child that has become this account (os.setuid: the
        interpreter lives where other accounts cannot read, so the child keeps the parent's
        imports); returns (exit code, stderr)."""
        import claimdesk.tui.commands.judge  # noqa: F401 - everything `tag` imports, loaded before the fork
        import rich.console, rich.table  # noqa: F401, E401

        read_end, write_end = os.pipe()
        pid = os.fork()
        if pid == 0:  # pragma: no cover - the child
            code = 70
            try:
                os.close(read_end)
                os.dup2(write_end, 2)
                os.dup2(os.open(os.devnull, os.O_WRONLY), 1)
                sys.stderr = open(2, "w", closefd=False)  # not pytest's capture: the pipe
                sys.stdout = open(1, "w", closefd=False)
                if os.geteuid() == 0 and self.uid != 0:
                    os.setgroups([group] if group is not None else [])
                    os.setgid(self.gid)
                    os.setuid(self.uid)
                os.environ["HOME"] = str(self.home)
                os.umask(0o022)
                code = main(list(argv))
            except BaseException:
                import traceback

                traceback.print_exc()
            finally:
                sys.stderr.flush()
                os._exit(code)
        os.close(write_end)
        with os.fdopen(read_end, "rb") as fh:
            err = fh.read().decode("utf-8", "replace")
        _, status = os.waitpid(pid, 0)
        return os.waitstatus_to_exitcode(status), err


@pytest.fixture
def team(tmp_path):
    """(base folder, group id, attacker, victim): two real accounts sharing a throwaway group
    when root (users and group removed afterwards), else this account twice."""
    base = Path(tempfile.mkdtemp(prefix="claimdesk-team-", dir="/tmp"))
    os.chmod(base, 0o755)
    if os.geteuid() != 0:
        me = Account("me", os.getuid(), os.getgid(), base / "home")
        me.home.mkdir()
        yield base, os.getgid(), me, me
        shutil.rmtree(base, ignore_errors=True)
        return
    tag = secrets.token_hex(3)
    group, attacker, victim = f"cdg{tag}", f"cda{tag}", f"cdv{tag}"
    made: list[list[str]] = []
    try:
        subprocess.run(["groupadd", group], check=True)
        made.append(["groupdel", group])
        accounts = []
        for name in (attacker, victim):
            home = base / name
            subprocess.run(["useradd", "-M", "-d", str(home), "-s", "/bin/sh", "-G", group, name], check=True)
            made.insert(0, ["userdel", name])
            home.mkdir()
            import pwd

            entry = pwd.getpwnam(name)
            os.chown(home, entry.pw_uid, entry.pw_gid)
            os.chmod(home, 0o700)
            accounts.append(Account(name, entry.pw_uid, entry.pw_gid, home))
        import grp

        yield base, grp.getgrnam(group).gr_gid, accounts[0], accounts[1]
    finally:
        for argv in made:
            subprocess.run(argv, check=False, capture_output=True)
        shutil.rmtree(base, ignore_errors=True)


def shared_db(base: Path, gid: int, owner: Account) -> Database:
    """A group-shared database (the README's team set-up) with the sample corpus, owned by `owner`."""
    folder = base / "story.db"
    db = Database.open(folder, create=True, group_shared=True)
    db.ingest(*sample_corpus(limit=6), link_corpus)
    for root, dirs, files in os.walk(folder):
        for name in [*dirs, *files]:
            os.chown(os.path.join(root, name), owner.uid, gid)
        os.chown(root, owner.uid, gid)
    return Database.open(folder)


def as_attacker(attacker: Account, gid: int, fn) -> None:
    """Run `fn` in a child process with the attacker's uid and the shared group (root), else here."""
    if os.geteuid() != 0 or attacker.uid == os.geteuid():
        fn()
        return
    pid = os.fork()
    if pid == 0:  # pragma: no cover - the child
        code = 1
        try:
            os.setgroups([gid])
            os.setgid(attacker.gid)
            os.setuid(attacker.uid)
            os.umask(0o007)
            fn()
            code = 0
        finally:
            os._exit(code)
    _, status = os.waitpid(pid, 0)
    assert os.waitstatus_to_exitcode(status) == 0


def same_shard(claim_id: str, shards: int) -> str:
    """Another claim id (not in the corpus: a judgement kept on a vanished claim) in the same shard."""
    return next(f"cplanted{k}" for k in range(10_000) if shard_of(f"cplanted{k}", shards) == shard_of(claim_id, shards))


def old_format_row(claim_id: str) -> dict:
    return {
        "claim_id": claim_id, "reviewer": "mallory", "status": "disputed", "note": PAYLOAD,
        "created": AT, "updated": AT,
        "history": [[AT, "mallory", "disputed", f"\n{PAYLOAD}\n", "tag"]],
    }


def test_a_log_replaced_by_a_symlink_is_never_appended_to(team):
    """Issue 9 item 1: a member swaps a history log for a link to another member's shell start-up
    file and plants an old-format row carrying shell code; the victim's ordinary `tag` must refuse
    in one line naming the log, and write nothing anywhere."""
    base, gid, attacker, victim = team
    db = shared_db(base, gid, victim)
    rc = victim.home / ".profile"
    rc.write_text("# the victim's start-up file\n")
    os.chown(rc, victim.uid, victim.gid)
    claim = db.corpus().claims[3].id
    other = same_shard(claim, db.shards)
    shard = db._shard_file(shard_of(claim, db.shards))
    log = db._log_file(shard_of(claim, db.shards))
    victim_log = victim.home / "victim-notes.jsonl"  # also: a link to a file the attacker cannot even read

    lock = db.path / "locks" / f"{shard.stem}.lock"

    def attack() -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(log)
        os.symlink(rc, log)
        shard.write_bytes(orjson.dumps({"judgements": {"1": old_format_row(other)}}))

    def attack_lock() -> None:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(lock)
        os.symlink(victim_log, lock)

    as_attacker(attacker, gid, attack)
    before_rc, before_shard = rc.read_bytes(), shard.read_bytes()
    code, err = victim.run("tag", claim, "disputed", "--db", str(db.path), "--reviewer", "vic", group=gid)
    assert code != 0
    assert "Traceback" not in err and len(err.strip().splitlines()) == 1, err
    assert f"{log}: a symbolic link" in err
    assert rc.read_bytes() == before_rc  # nothing appended to the start-up file
    assert shard.read_bytes() == before_shard
    # the lock file too: filelock opened it O_TRUNC through the link
    victim_log.write_text("private\n")
    os.chown(victim_log, victim.uid, victim.gid)
    os.chmod(victim_log, 0o600)
    as_attacker(attacker, gid, attack_lock)
    code, err = victim.run("tag", claim, "disputed", "--db", str(db.path), "--reviewer", "vic", group=gid)
    assert code != 0 and len(err.strip().splitlines()) == 1 and f"{lock}: a symbolic link" in err, err
    assert victim_log.read_text() == "private\n"  # the lock never truncated the victim's file
    assert shard.read_bytes() == before_shard
    assert not Path("/tmp/claimdesk-pwned").exists()
    # the lock is moved aside by the doctor; then the log link is what refuses
    report = check(db.path)
    listed = {Path(f.path).name for f in report.findings if f.level == "error"}
    assert log.name in listed and f"{shard.stem}.lock" in listed
    restore(db.path)
    assert not log.is_symlink() and not (db.path / "locks" / f"{shard.stem}.lock").is_symlink()
    # as root too (an admin tagging): after the doctor, the old-format row goes into a real log,
    # checked field by field, its text sanitised, never into anyone's file
    Database.open(db.path).tag(claim, "corroborated", "admin")
    assert rc.read_bytes() == before_rc
    lines = [orjson.loads(x) for x in log.read_bytes().splitlines()]
    assert [line[1] for line in lines] == ["mallory", "admin"]
    assert lines[0][6].strip() == PAYLOAD and len(lines) == 2  # data in a JSON line of our own log, nothing more
    assert Database.open(db.path).judgement(other, "mallory").status == "disputed"


def test_restore_never_follows_a_planted_backup_link(team):
    """Issue 9 item 2: a `.bak` link to a member's 0600 file is never copied into a 0660 shard."""
    base, gid, attacker, victim = team
    db = shared_db(base, gid, victim)
    secret = victim.home / "secret.json"
    secret.write_bytes(orjson.dumps({"judgements": {"1": {"claim_id": "x", "reviewer": "SECRET-VALUE",
                                                          "status": "", "note": "", "created": AT,
                                                          "updated": AT, "changes": 1}}}))
    os.chown(secret, victim.uid, victim.gid)
    os.chmod(secret, 0o600)
    claim = db.corpus().claims[0].id
    i = shard_of(claim, db.shards)
    db.tag(claim, "disputed", "ana")
    shard, bak = db._shard_file(i), db._shard_file(i).with_name(db._shard_file(i).name + ".bak")

    def attack() -> None:
        shard.write_bytes(b'{"judgements": {')  # damaged
        with contextlib.suppress(FileNotFoundError):
            os.unlink(bak)
        os.symlink(secret, bak)

    as_attacker(attacker, gid, attack)
    report = check(db.path)
    assert any(f.path == str(bak) and "symbolic link" in f.message for f in report.findings)
    restore(db.path)
    assert b"SECRET-VALUE" not in shard.read_bytes()
    assert not bak.is_symlink()
    for name in db.path.rglob("*"):
        if name.is_file() and not name.is_symlink():
            assert b"SECRET-VALUE" not in name.read_bytes(), name
    assert Database.open(db.path).judgement(claim, "ana").status == "disputed"  # rebuilt from the log


@pytest.mark.parametrize("kind", ["corpus", "shard", "log", "shard lock", "corpus lock"])
def test_no_file_of_a_database_is_opened_through_a_link(store_db, tmp_path, kind):
    db = store_db
    claim = db.corpus().claims[0].id
    i = shard_of(claim, db.shards)
    db.tag(claim, "disputed", "ana")
    db.tag(claim, "unsourced", "ana")  # the shard has a backup now
    name = {
        "corpus": db.path / "corpus.json", "shard": db._shard_file(i), "log": db._log_file(i),
        "backup": db._shard_file(i).with_name(db._shard_file(i).name + ".bak"),
        "shard lock": db.path / "locks" / f"j-{i:03d}.lock", "corpus lock": db.path / "locks" / "corpus.lock",
    }[kind]
    target = tmp_path / "elsewhere"
    target.write_bytes(name.read_bytes() if name.exists() else b"not yours\n")  # even a faithful copy
    before = target.read_bytes()
    name.unlink(missing_ok=True)
    name.symlink_to(target)
    with pytest.raises(DatabaseError) as err:
        fresh = Database.open(db.path)
        fresh.tag(claim, "corroborated", "ana")
        fresh.judgement(claim, "ana")
        fresh.ingest(*sample_corpus(limit=1), link_corpus)
    assert str(name) in str(err.value) and "symbolic link" in str(err.value) and "\n" not in str(err.value)
    assert target.read_bytes() == before
    assert any(f.path == str(name) and f.level == "error" for f in check(db.path).findings)


def test_a_planted_backup_link_is_replaced_never_written_through(store_db, tmp_path):
    claim = store_db.corpus().claims[0].id
    shard = store_db._shard_file(shard_of(claim, store_db.shards))
    store_db.tag(claim, "disputed", "ana")
    bak = shard.with_name(shard.name + ".bak")
    target = tmp_path / "elsewhere"
    target.write_bytes(b"not yours\n")
    bak.symlink_to(target)
    assert any(f.path == str(bak) and "symbolic link" in f.message for f in check(store_db.path).findings)
    store_db.tag(claim, "unsourced", "ana")
    assert not bak.is_symlink() and orjson.loads(bak.read_bytes())["judgements"]["1"]["status"] == "disputed"
    assert target.read_bytes() == b"not yours\n"


def test_a_fifo_in_place_of_a_shard_is_refused_without_hanging(store_db):
    claim = store_db.corpus().claims[0].id
    shard = store_db._shard_file(shard_of(claim, store_db.shards))
    os.mkfifo(shard)

    def hung(*_):
        raise TimeoutError("opening the FIFO hung")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(20)
    try:
        with pytest.raises(DatabaseError, match="FIFO"):
            store_db.tag(claim, "disputed", "ana")
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
    assert stat.S_ISFIFO(os.lstat(shard).st_mode)
    assert not check(store_db.path).ok


def test_a_folder_link_in_place_of_judgements_is_refused(store_db, tmp_path):
    real = store_db.path / "judgements"
    moved = tmp_path / "moved"
    shutil.move(str(real), moved)
    real.symlink_to(moved)
    with pytest.raises(DatabaseError, match="symbolic link"):
        Database.open(store_db.path)
    assert any("symbolic link" in f.message for f in check(store_db.path).findings)


def test_old_format_rows_are_checked_field_by_field(store_db):
    claim = store_db.corpus().claims[2].id
    other = same_shard(claim, store_db.shards)
    shard = store_db._shard_file(shard_of(claim, store_db.shards))
    row = old_format_row(other)
    row["history"][0][1] = ["not", "a", "name"]  # a reviewer that is not text
    shard.write_bytes(orjson.dumps({"judgements": {"1": row}}))
    with pytest.raises(DatabaseError) as err:
        store_db.tag(claim, "disputed", "ana")
    assert str(shard) in str(err.value) and "old-format" in str(err.value)
    assert not store_db._log_file(shard_of(claim, store_db.shards)).exists()  # nothing copied
    row["history"][0][1] = "mal\x1b[31mlory\u202e"
    row["history"][0][3] = "ok\x07 note"
    shard.write_bytes(orjson.dumps({"judgements": {"1": row}}))
    store_db.tag(claim, "disputed", "ana")
    first = orjson.loads(store_db._log_file(shard_of(claim, store_db.shards)).read_bytes().splitlines()[0])
    assert first[4] == "mallory" and first[6] == "ok note"  # escape, bidi and bell characters gone


def test_cli_one_line_for_a_linked_log(store_db, capsys, tmp_path):
    claim = store_db.corpus().claims[0].id
    log = store_db._log_file(shard_of(claim, store_db.shards))
    target = tmp_path / "rc"
    target.write_text("x\n")
    log.symlink_to(target)
    code = main(["tag", claim, "disputed", "--db", str(store_db.path), "--reviewer", "ana"])
    err = capsys.readouterr().err
    assert code != 0 and len(err.strip().splitlines()) == 1 and str(log) in err and "symbolic link" in err
    assert target.read_text() == "x\n"


def test_a_links_file_named_outside_the_folder_is_refused(store_db, tmp_path):
    secret = tmp_path / "links-secret.json"
    secret.write_bytes(b'{"format": "claimdesk-links"}')
    file = store_db.path / "corpus.json"
    data = orjson.loads(file.read_bytes())
    data["meta"]["1"]["links"]["file"] = f"../{secret.parent.name}/{secret.name}"
    file.write_bytes(orjson.dumps(data))
    with pytest.raises(DatabaseError, match="not one") as err:
        Database.open(store_db.path).corpus()
    assert str(file) in str(err.value) and "\n" not in str(err.value)
