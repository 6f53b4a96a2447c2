"""Unlucky file systems (issue 9, items 5/6): a read-only file system for `tag`, `untag` and
`ingest`, a full disk during `ingest` and `tag`. Each is one line naming the file and the reason,
a non-zero exit, and every acknowledged judgement intact.

As root, the database lives on a small tmpfs mounted for the test (remounted read-only, or
filled up); otherwise a folder without write permission stands in for the read-only one, and
the full disk cannot be made (that test then checks a missing write permission instead).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import subprocess
import tempfile
from pathlib import Path

import pytest

from claimdesk.extract.links import link_corpus
from claimdesk.store.database import Database, DatabaseError
from claimdesk.store.doctor import check
from claimdesk.tui.cli import main
from store_fixtures import SAMPLE_DIR, article_from_text, claims_of, store_corpus_parts, store_db_template  # noqa: F401

ROOT = os.geteuid() == 0


@contextlib.contextmanager
def small_fs(size: str = "4m"):
    """A fresh folder on its own small tmpfs (root), else a plain temporary folder."""
    mount = Path(tempfile.mkdtemp(prefix="claimdesk-fs-"))
    mounted = False
    try:
        if ROOT:
            subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size},mode=0755", "tmpfs", str(mount)], check=True)
            mounted = True
        yield mount
    finally:
        if mounted:
            if subprocess.run(["umount", str(mount)], capture_output=True).returncode != 0:
                subprocess.run(["umount", "-l", str(mount)], capture_output=True)
        shutil.rmtree(mount, ignore_errors=True)


def read_only(mount: Path, db: Path) -> None:
    if ROOT:
        subprocess.run(["mount", "-o", "remount,ro", str(mount)], check=True)
    else:
        for folder in (db, db / "judgements", db / "locks"):
            os.chmod(folder, 0o500)


def writable(mount: Path, db: Path) -> None:
    if ROOT:
        subprocess.run(["mount", "-o", "remount,rw", str(mount)], check=True)
    else:
        for folder in (db, db / "judgements", db / "locks"):
            os.chmod(folder, 0o700)


def fill(mount: Path) -> None:
    """Use up every free byte of the file system."""
    fd = os.open(mount / "filler", os.O_WRONLY | os.O_CREAT, 0o600)
    try:
        for chunk in (65536, 4096, 512, 1):
            with contextlib.suppress(OSError):
                while True:
                    os.write(fd, b"\0" * chunk)
    finally:
        os.close(fd)


def one_line(err: str, *names: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1 and "Traceback" not in err, err
    assert any(name in lines[0] for name in names), err


def new_article_file(folder: Path) -> Path:
    raw = (SAMPLE_DIR / "000_cnn.txt").read_text(encoding="utf-8") if (SAMPLE_DIR / "000_cnn.txt").exists() else \
        next(SAMPLE_DIR.glob("*.txt")).read_text(encoding="utf-8")
    out = folder / "new_story.txt"
    out.write_text("A new take\n" + raw.replace("Putin", "The Kremlin leader"), encoding="utf-8")
    return out


def judged(db_path: Path) -> dict[tuple[str, str], str]:
    return {(j.claim_id, j.reviewer): j.status for j in Database.open(db_path).judgements()}


@pytest.mark.xdist_group("store-heavy")
def test_read_only_file_system(store_db_template, capsys, tmp_path):
    with small_fs() as mount:
        db = mount / "claimdesk.db"
        shutil.copytree(store_db_template, db)
        first = Database.open(db)
        claims = first.corpus().claim_ids()
        first.tag(claims[0], "disputed", "ana", note="kept")
        first.tag(claims[1], "unsourced", "ana")
        before = judged(db)
        read_only(mount, db)
        try:
            code = main(["tag", claims[2], "corroborated", "--db", str(db), "--reviewer", "ana"])
            _, err = capsys.readouterr()
            assert code != 0
            one_line(err, str(db))
            assert "Read-only file system" in err or "Permission denied" in err
            code = main(["untag", claims[0], "--db", str(db), "--reviewer", "ana"])
            _, err = capsys.readouterr()
            assert code != 0
            one_line(err, str(db))
            code = main(["ingest", str(new_article_file(tmp_path)), "--db", str(db), "--quiet"])
            _, err = capsys.readouterr()
            assert code != 0
            one_line(err, str(db))
            assert judged(db) == before  # reading still works, nothing lost
        finally:
            writable(mount, db)
        assert judged(db) == before
        assert check(db).ok


@pytest.mark.xdist_group("store-heavy")
@pytest.mark.skipif(not ROOT, reason="a full disk needs a tmpfs of its own (root)")
def test_full_disk_during_ingest_and_tag(store_db_template, capsys, tmp_path, store_corpus_parts):
    with small_fs("2m") as mount:
        db = mount / "claimdesk.db"
        shutil.copytree(store_db_template, db)
        first = Database.open(db)
        claims = first.corpus().claim_ids()
        first.tag(claims[0], "disputed", "ana", note="kept")
        corpus_before = (db / "corpus.json").read_bytes()
        before = judged(db)
        fill(mount)
        # ingest through the store: a big batch of new articles needs a corpus bigger than the space left
        articles, _ = store_corpus_parts
        extra = [article_from_text(f"zz_{n}_{a.source}", a.text + f"\nCopy {n}.", outlet=f"outlet{n}")
                 for n in range(3) for a in articles]
        with pytest.raises(DatabaseError) as exc:
            Database.open(db).ingest(extra, {a.id: claims_of(a) for a in extra}, link_corpus)
        assert str(db) in str(exc.value) and "No space left" in str(exc.value) and "\n" not in str(exc.value)
        # and through the command
        code = main(["ingest", str(new_article_file(tmp_path)), "--db", str(db), "--quiet"])
        _, err = capsys.readouterr()
        assert code != 0
        one_line(err, str(db))
        code = main(["tag", claims[3], "corroborated", "--db", str(db), "--reviewer", "ben"])
        _, err = capsys.readouterr()
        if code != 0:  # a shard may still fit in the last free block; if not, one line
            one_line(err, str(db))
        assert (db / "corpus.json").read_bytes() == corpus_before
        assert not [p for p in db.rglob("*.tmp")]  # no half-written temporaries left behind
        (mount / "filler").unlink()
        assert {k: v for k, v in judged(db).items() if k in before} == before
        assert check(db).ok
