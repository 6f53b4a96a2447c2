"""Reviewer names are labels, normalised so one person is not two; each change records the OS
account that made it (issue 9, item 7 / must-have 6)."""

from __future__ import annotations

import os
import pwd

import orjson
import pytest

from claimdesk.store.database import Database, DatabaseError, shard_of
from claimdesk.store.reviewers import normalise
from claimdesk.tui.cli import main
from store_fixtures import store_corpus_parts, store_db, store_db_template  # noqa: F401

ME = pwd.getpwuid(os.geteuid()).pw_name


@pytest.mark.parametrize(
    "given",
    ["ana\u200b", "\u200bana", "a\u200dna", "\ufeffana", " ana ", "ana\u2060", "ａｎａ", "an\u00ada", "ana\u202e", "ana\x1b[0m"],
)
def test_invisible_and_compatibility_characters_are_one_reviewer(store_db, given):
    claim = store_db.corpus().claims[0].id
    store_db.tag(claim, "disputed", "ana")
    store_db.tag(claim, "unsourced", given)
    assert store_db.reviewers() == ["ana"]
    assert store_db.judgement(claim, "ana").status == "unsourced"
    assert normalise(given) == "ana"


def test_a_name_differing_only_in_case_is_refused_with_a_hint(store_db, capsys):
    claims = store_db.corpus().claim_ids()
    store_db.tag(claims[0], "disputed", "ana")
    with pytest.raises(DatabaseError) as err:
        Database.open(store_db.path).tag(claims[1], "disputed", "Ana")
    assert "'Ana' differs only in case from the existing reviewer 'ana'" in str(err.value)
    assert "--reviewer 'ana'" in str(err.value) and "not authentication" in str(err.value)
    code = main(["tag", claims[1], "disputed", "--db", str(store_db.path), "--reviewer", "ANA"])
    assert code != 0 and "differs only in case" in capsys.readouterr().err
    assert Database.open(store_db.path).reviewers() == ["ana"]
    with pytest.raises(DatabaseError, match="no printable character"):
        store_db.tag(claims[1], "disputed", "\u200b\u200b")


def test_each_change_records_the_os_account_and_history_shows_it(store_db, capsys):
    claim = store_db.corpus().claims[0].id
    store_db.tag(claim, "disputed", "maria")
    store_db.untag(claim, "maria")
    log = store_db._log_file(shard_of(claim, store_db.shards))
    assert [orjson.loads(line)[8] for line in log.read_bytes().splitlines()] == [ME, ME]
    assert [c.account for c in store_db.judgement(claim, "maria").history] == [ME, ME]
    assert main(["history", claim, "--db", str(store_db.path)]) == 0
    out = capsys.readouterr().out
    assert "OS account" in out.replace("\n", " ") or "account" in out
    assert out.count(ME) >= 2


def test_lines_written_before_the_account_was_recorded_still_read(store_db):
    claim = store_db.corpus().claims[0].id
    store_db.tag(claim, "disputed", "maria")
    log = store_db._log_file(shard_of(claim, store_db.shards))
    fields = orjson.loads(log.read_bytes())
    log.write_bytes(orjson.dumps(fields[:8]) + b"\n")  # an eight-field line, as older claimdesk wrote
    [change] = store_db.judgement(claim, "maria").history
    assert change.status == "disputed" and change.account == ""
