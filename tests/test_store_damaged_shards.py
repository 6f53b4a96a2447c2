"""A damaged shard is damage, never "not written yet" (issue 9, item 2): `tag` refuses to rotate
it over the last good backup, `doctor` reports it, `doctor --restore` rebuilds it from its
history log (else the backup), and no shape of it ever gives a traceback."""

from __future__ import annotations

import orjson
import pytest

from claimdesk.store.database import Database, DatabaseError, shard_of
from claimdesk.store.doctor import check, restore
from claimdesk.tui.cli import main
from store_fixtures import store_corpus_parts, store_db, store_db_template  # noqa: F401

SHAPES = {
    "empty": b"",
    "blank": b"  \n",
    "a list table": b'{"judgements": [{"claim_id": "x", "reviewer": "ana"}]}',
    "a list": b"[]",
    "a number": b"5",
    "another table": b'{"_default": {}}',
    "a row that is a string": b'{"judgements": {"1": "ana"}}',
    "a row with a numeric claim": b'{"judgements": {"1": {"claim_id": 5, "reviewer": "ana", "status": "", "note": "", "created": "", "updated": "", "changes": 1}}}',
    "a row with an unknown status": b'{"judgements": {"1": {"claim_id": "x", "reviewer": "ana", "status": "maybe", "note": "", "created": "", "updated": "", "changes": 1}}}',
    "a row without its change count": b'{"judgements": {"1": {"claim_id": "x", "reviewer": "ana", "status": "", "note": "", "created": "", "updated": ""}}}',
    "truncated": b'{"judgements": {"1": {"claim_',
}


def crowded_shard(db: Database) -> tuple[int, list[tuple[str, str, str]]]:
    """Judgements by three reviewers on every claim of the busiest shard: (shard, [(claim, reviewer, status)])."""
    by_shard: dict[int, list[str]] = {}
    for c in db.corpus().claims:
        by_shard.setdefault(shard_of(c.id, db.shards), []).append(c.id)
    i, claims = max(by_shard.items(), key=lambda kv: len(kv[1]))
    done = []
    for n, claim in enumerate(claims):
        for r, reviewer in enumerate(("ana", "ben", "maria")):
            status = ("corroborated", "disputed", "unsourced")[(n + r) % 3]
            db.tag(claim, "disputed", reviewer)
            db.tag(claim, status, reviewer, note=f"{reviewer} on {n}")
            done.append((claim, reviewer, status))
    return i, done


@pytest.mark.parametrize("shape", list(SHAPES))
def test_a_damaged_shard_is_refused_reported_and_rebuilt_from_its_log(store_db, capsys, shape):
    i, done = crowded_shard(store_db)
    shard = store_db._shard_file(i)
    bak = shard.with_name(shard.name + ".bak")
    good_backup = bak.read_bytes()
    shard.write_bytes(SHAPES[shape])
    claim = done[0][0]
    # tag: one line naming the shard, nothing written, the last good backup kept
    code = main(["tag", claim, "unsourced", "--db", str(store_db.path), "--reviewer", "ana"])
    err = capsys.readouterr().err
    assert code != 0 and len(err.strip().splitlines()) == 1 and str(shard) in err and "Traceback" not in err
    assert "doctor --restore" in err
    assert bak.read_bytes() == good_backup and shard.read_bytes() == SHAPES[shape]
    readers = [lambda: Database.open(store_db.path).judgements(history=True)]
    if shape != "a row without its change count":  # current values need no count: still readable
        readers.append(lambda: Database.open(store_db.path).judgements())
    for read in readers:
        with pytest.raises(DatabaseError, match="damaged|corrupt") as exc:
            read()
        assert str(exc.value).startswith(f"{shard}: ") and "\n" not in str(exc.value)
    # doctor: reported, no traceback
    code = main(["doctor", "--db", str(store_db.path)])
    out, err = capsys.readouterr()
    out = out.replace("\n", "")  # rich wraps long lines at the console's width
    assert code != 0 and str(shard) in out and "Traceback" not in out + err
    assert not check(store_db.path).ok
    # doctor --restore: every judgement back, with its latest value, from the history log
    code = main(["doctor", "--db", str(store_db.path), "--restore"])
    out, err = capsys.readouterr()
    assert code == 0, out + err
    assert f"{shard}: rebuilt from its history log" in out.replace("\n", "")
    db = Database.open(store_db.path)
    got = {(j.claim_id, j.reviewer): j for j in db.judgements(history=True)}
    assert {k: (j.status, len(j.history)) for k, j in got.items()} == {(c, r): (s, 2) for c, r, s in done}
    assert all(j.note == f"{j.reviewer} on {n}" for n, (c, _, _) in enumerate(done[::3]) for j in
               (got[(c, "ana")], got[(c, "ben")], got[(c, "maria")]))
    db.tag(claim, "unsourced", "ana")  # and it takes changes again
    assert db.judgement(claim, "ana").status == "unsourced" and len(db.judgement(claim, "ana").history) == 3
    assert check(store_db.path).ok


def test_without_a_log_the_backup_is_used(store_db):
    i, done = crowded_shard(store_db)
    shard = store_db._shard_file(i)
    store_db._log_file(i).unlink()
    shard.write_bytes(b"")
    lines = restore(store_db.path)
    assert any(f"{shard}: rebuilt from {shard.name}.bak" in line for line in lines)
    got = {(j.claim_id, j.reviewer): j.status for j in Database.open(store_db.path).judgements()}
    assert len(got) == len(done)  # the backup is one change behind: every judgement is there


def test_a_damaged_backup_is_not_used(store_db):
    i, done = crowded_shard(store_db)
    shard = store_db._shard_file(i)
    store_db._log_file(i).unlink()
    shard.write_bytes(b"")
    shard.with_name(shard.name + ".bak").write_bytes(b'{"judgements": [1]}')
    lines = restore(store_db.path)
    assert any("no good backup" in line and "left as it is" in line for line in lines)
    assert shard.read_bytes() == b""
