"""A judgement shard's file (``judgements/j-NNN.json``): reading it strictly, converting the
rows that still hold their own history, and rebuilding it from its history log.

A shard file that exists is either a TinyDB document ``{"judgements": {"<id>": row, ...}}``
whose rows are well-formed, or it is **damaged**: empty (0 bytes), not JSON, another shape
(``{"judgements": [...]}``), or a row with a field of the wrong type. A damaged shard is never
taken for "never written": writers refuse to touch it (so it is never rotated over the last
good ``.bak``), readers report it in one line, and ``claimdesk doctor --restore`` rebuilds its
current values from its history log (which holds every committed change), else from the backup.
"""

from __future__ import annotations

import hashlib
from collections.abc import Mapping
from operator import attrgetter, itemgetter
from pathlib import Path
from typing import Any

from claimdesk.extract.model import STATUSES
from claimdesk.store import history as history_log
from claimdesk.store.errors import DamagedShard
from claimdesk.store.judgements import Change, Judgement, judgement_to_row
from claimdesk.store.storage import CorruptFile, parse_object, read_raw

TABLE = "judgements"
ACTIONS = ("tag", "untag", "note", "migrate")
_STATUSES = frozenset(STATUSES) | {""}

RESTORE_HINT = "`claimdesk doctor --restore` rebuilds it from its history log"


def row_problem(row: Any) -> str:
    """What is wrong with one shard row ("" when nothing): every field checked for its type."""
    if not isinstance(row, dict):
        return f"a row that is not an object ({type(row).__name__})"
    for key in ("claim_id", "reviewer"):
        if not isinstance(row.get(key), str) or not row.get(key):
            return f"a row without a valid {key!r}"
    for key in ("note", "created", "updated"):
        if key in row and not isinstance(row[key], str):
            return f"a row whose {key!r} is not text"
    if row.get("status", "") not in _STATUSES:
        return f"a row with an unknown status {str(row.get('status'))[:40]!r}"
    changes = row.get("changes")
    if "history" in row:
        if not isinstance(row["history"], list):
            return "a row whose 'history' is not a list"
    elif type(changes) is not int or changes < 0:
        return "a row without a valid change count"
    return ""


# the fields the screen, export and figures use as text (keys, names, the note shown); the dates
# are only printed (str() of anything) and sorted in `history`, which reads rows strictly
_TEXT_FIELDS = tuple(attrgetter(name) for name in ("claim_id", "reviewer", "note"))
_STATUS = attrgetter("status")


def check_values(judgements: list[Judgement]) -> None:
    """TypeError/ValueError unless every judgement read from a shard has a text claim id, reviewer
    and note and a known status (the readers' check: C-level joins and a set, no Python loop per
    row: about 10 ms for the 50,000 judgements a screen reads at start)."""
    join = "".join
    for get in _TEXT_FIELDS:
        join(map(get, judgements))  # TypeError for anything that is not text
    odd = set(map(_STATUS, judgements)) - _STATUSES
    if odd:
        raise ValueError(f"an unknown status {str(next(iter(odd)))[:40]!r}")


_ROW_TEXT = tuple(itemgetter(name) for name in ("claim_id", "reviewer", "note", "created", "updated"))
_ROW_STATUS = itemgetter("status")
_ROW_CHANGES = itemgetter("changes")


def _check_fast(table: dict[str, Any]) -> None:
    """`row_problem` for a whole table of schema-4 rows at C speed (a tag re-reads its shard:
    ~800 rows); any exception means "look row by row"."""
    if not table:
        return
    if not "".join(table).isdigit():
        raise ValueError("a row id that is not a number")
    rows = list(table.values())
    if set(map(type, rows)) != {dict}:
        raise TypeError("a row that is not an object")
    join = "".join
    for get in _ROW_TEXT:
        join(map(get, rows))  # KeyError / TypeError
    if min(map(len, map(_ROW_TEXT[0], rows))) == 0 or min(map(len, map(_ROW_TEXT[1], rows))) == 0:
        raise ValueError("an empty claim id or reviewer")
    if not set(map(_ROW_STATUS, rows)) <= _STATUSES:
        raise ValueError("an unknown status")
    counts = list(map(_ROW_CHANGES, rows))
    if set(map(type, counts)) != {int} or min(counts) < 0:
        raise ValueError("a change count that is not a number")


def table_of(file: Path, data: Any, *, rows: bool = True) -> dict[str, Any]:
    """The judgements table of a parsed shard, its shape and (rows=True) every row checked;
    DamagedShard naming the file. Readers of current values (the screen's start: 50,000 rows)
    pass rows=False and check each row in their own lean loop."""
    if data == {}:
        return {}
    if not isinstance(data, dict) or set(data) - {TABLE}:
        raise DamagedShard(f"{file}: damaged (not a judgement shard: wrong shape); nothing was changed; {RESTORE_HINT}")
    table = data.get(TABLE)
    if table is None:
        return {}
    if not isinstance(table, dict):
        raise DamagedShard(
            f"{file}: damaged ({TABLE!r} is a {type(table).__name__}, not a table); nothing was changed; {RESTORE_HINT}"
        )
    if not rows:
        return table
    try:
        _check_fast(table)
        return table
    except (KeyError, TypeError, ValueError, AttributeError):
        pass  # something is off (or an old-format row): the row-by-row check says what
    for key, row in table.items():
        why = row_problem(row)
        if why or not key.isdigit():
            raise DamagedShard(f"{file}: damaged ({why or 'a row id that is not a number'}); nothing was changed; {RESTORE_HINT}")
    return table


def fingerprint(payload: bytes) -> bytes:
    return hashlib.sha256(payload).digest()


def read_table(file: Path, *, rows: bool = True, trusted: Mapping[Path, bytes] | None = None) -> dict[str, Any] | None:
    """The checked judgements table of a shard; None when there is no such file (never written).
    An empty file, bad JSON, a link or a non-regular file is DamagedShard (one line).

    `trusted`: file -> `fingerprint` of what this process last wrote there; a file that still
    holds exactly that is not checked row by row again (a tag re-reads the shard it wrote)."""
    try:
        raw = read_raw(file)
    except CorruptFile as exc:
        raise DamagedShard(f"{exc}; nothing was changed; {RESTORE_HINT}") from None
    if raw is None:
        return None
    if not raw.strip():
        raise DamagedShard(f"{file}: damaged (an empty file); nothing was changed; {RESTORE_HINT}")
    try:
        data = parse_object(file, raw)
    except CorruptFile as exc:
        raise DamagedShard(f"{file}: corrupt ({exc.reason}); nothing was changed; {RESTORE_HINT}") from None
    if rows and trusted is not None and trusted.get(file) == fingerprint(raw):
        rows = False  # our own write, byte for byte
    return table_of(file, data, rows=rows)


def _clean(value: Any, *, keep_newlines: bool = False) -> str:
    from claimdesk.extract.sanitize import sanitize, sanitize_line

    if not isinstance(value, str):
        raise TypeError("not text")
    return sanitize(value) if keep_newlines else sanitize_line(value)


def old_change(c: Any) -> Change:
    """One change of an old-format (schema 2/3) row's history, validated field by field (list
    [at, reviewer, status, note, action] or the earliest dict form); text fields sanitised.
    TypeError/ValueError when a field is missing or of the wrong type."""
    if isinstance(c, dict):
        c = [c.get("at"), c.get("reviewer"), c.get("status"), c.get("note"), c.get("action")]
    if not isinstance(c, list) or len(c) != 5:
        raise ValueError("a history entry that is not [at, reviewer, status, note, action]")
    at, reviewer, status, note, action = c
    if status not in _STATUSES:
        raise ValueError(f"a history entry with an unknown status {str(status)[:40]!r}")
    if action not in ACTIONS:
        raise ValueError(f"a history entry with an unknown action {str(action)[:40]!r}")
    return Change(_clean(at), _clean(reviewer), status, _clean(note, keep_newlines=True), action)


def split_history(file: Path, table: dict[str, Any]) -> list[bytes]:
    """Rows of a shard table that hold their own history (schema 2 and 3) become schema-4 rows,
    in place; returns their changes as history-log lines, to append before the table is written
    (re-stating a change the log has already holds it twice: the later line wins, same value).

    Nothing is copied raw: every field of every change is checked and sanitised (`old_change`);
    a row that does not pass is DamagedShard naming the file, and nothing is converted."""
    converted: dict[str, tuple[Judgement, int]] = {}
    lines: list[bytes] = []
    for key, row in table.items():
        if not isinstance(row, dict) or "history" not in row:
            continue
        try:
            changes = tuple(old_change(c) for c in row["history"] or ())
            j = Judgement(
                claim_id=_clean(row["claim_id"]),
                reviewer=_clean(row["reviewer"]),
                status=row.get("status", "") if row.get("status", "") in _STATUSES else _bad("status"),
                note=_clean(row.get("note", ""), keep_newlines=True),
                created=_clean(row.get("created", row.get("updated", ""))),
                updated=_clean(row.get("updated", "")),
            )
        except (KeyError, TypeError, ValueError) as exc:
            raise DamagedShard(
                f"{file}: damaged (an old-format row that does not check: {exc}); nothing was changed; "
                "`claimdesk doctor` shows it"
            ) from None
        for n, change in enumerate(changes, start=1):
            lines.append(history_log.encode_line(j.claim_id, j.reviewer, n, change))
        converted[key] = (j, len(changes))
    for key, (j, n) in converted.items():
        table[key] = judgement_to_row(j, n)
    return lines


def _bad(field: str) -> Any:
    raise ValueError(f"a row with an unknown {field}")


def rebuild(log: history_log.LogRead, backup: dict[str, Any] | None) -> dict[str, Any]:
    """A shard's judgements table rebuilt from its history log: for each judgement, the last
    change the log holds (its highest number) gives the current values; the backup's rows fill
    in judgements the log knows nothing of, or knows less of than the backup has committed."""
    rows: dict[tuple[str, str], dict[str, Any]] = {}
    for row in (backup or {}).values():
        if isinstance(row, dict) and not row_problem(row) and "history" not in row:
            rows[(row["claim_id"], row["reviewer"])] = dict(row)
    for (claim_id, reviewer), changes in log.changes.items():
        if not changes:
            continue
        top = max(changes)
        have = rows.get((claim_id, reviewer))
        if have is not None and have.get("changes", 0) > top:
            continue  # the backup has committed more than the log shows: keep it
        last = changes[top]
        first = changes[min(changes)]
        if last.status not in _STATUSES:
            continue
        j = Judgement(claim_id, reviewer, last.status, last.note, first.at, last.at)
        rows[(claim_id, reviewer)] = judgement_to_row(j, top)
    return {str(i): row for i, row in enumerate(sorted(rows.values(), key=lambda r: (r["claim_id"], r["reviewer"])), start=1)}
