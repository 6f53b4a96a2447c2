"""Export claims and judgements as CSV (RFC 4180, UTF-8) or JSON Lines.

Columns, in this order (COLUMNS):
    claim_id, article_id, source, outlet, title, start, end, text, kind, attribution,
    suggested_status, suggestion_reason, supporting_claims, conflicting_claims,
    reviewer, status, note, reviewed_at

One row per claim and reviewer judgement (a judgement with a status or a note; a cleared one
without a note does not count); a claim nobody judged appears once with the last four empty.
Claims come in corpus order (articles by source, claims by position), reviewers by name.
Judgements whose claim left the corpus (orphaned) follow at the end with only claim_id and the
judgement columns filled (not when --only filters: they have no claim to filter on).

supporting_claims / conflicting_claims: the ids of linked claims (either direction), sorted,
";"-separated in CSV, JSON lists in JSONL.

CSV safety: a cell that starts with = + - @, a tab or a carriage return is prefixed with "'"
so spreadsheets show it as text instead of running it as a formula (OWASP "CSV injection").
To read the original value back, drop a leading "'" when the next character is one of those.
JSONL cells are never altered (they are data, not spreadsheet input).

final=True: one row per claim, the team's decision, with three more columns, decision, votes
and voters (two plain integers, never a text like "2/3" that a spreadsheet turns into a date):
  * "adjudicated": a reviewer named in `adjudicators` (default: "adjudicator") has a status on
    the claim; their (latest) status and note win. votes 1, voters 1.
  * "unanimous": every reviewer with a status gave the same one. votes 3, voters 3.
  * "majority": one status has more votes than any other. votes 2, voters 3.
  * "tie": no status has the most votes; status is empty. votes 1, voters 2 (the top count).
  * "": nobody judged the claim; votes and voters empty.
  reviewer holds the ";"-joined reviewers behind the status; reviewed_at the latest of theirs.

reviewed_at is ISO 8601 in UTC with its offset (2026-11-22T10:00:00.123456+00:00), as stored.

Files (`write_file_atomic`, `claimdesk export -o`) are created 0600 unless a wider mode is asked
for, and never inside a claimdesk database folder (`database_folder_of`).
"""

from __future__ import annotations

import csv
import io
import os
import tempfile
from collections import Counter
from pathlib import Path
from typing import Any, Callable, Iterable, Iterator, Sequence, TextIO

import orjson

from claimdesk.store.database import CORPUS_FILE, JUDGEMENTS_DIR, LOCKS_DIR, Corpus, Database
from claimdesk.store.filters import FILTERS, matches_all
from claimdesk.store.judgements import Judgement

COLUMNS: tuple[str, ...] = (
    "claim_id",
    "article_id",
    "source",
    "outlet",
    "title",
    "start",
    "end",
    "text",
    "kind",
    "attribution",
    "suggested_status",
    "suggestion_reason",
    "supporting_claims",
    "conflicting_claims",
    "reviewer",
    "status",
    "note",
    "reviewed_at",
)
FINAL_COLUMNS: tuple[str, ...] = COLUMNS + ("decision", "votes", "voters")
# JSONL only (after the columns): the article's page metadata - url, ISO date, the date as written, authors
JSONL_EXTRA: tuple[str, ...] = ("url", "published", "published_raw", "authors")
FORMATS = ("csv", "jsonl")
DEFAULT_ADJUDICATORS: tuple[str, ...] = ("adjudicator",)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")
_TRIGGERS = frozenset(_FORMULA_START)


def neutralise(cell: str) -> str:
    """A CSV cell a spreadsheet will not run as a formula.

    Cells that already start with "'" before a trigger get one more "'", so that
    `unneutralise` always gives the original back.
    """
    first = cell[:1]
    if first in _TRIGGERS or (first == "'" and cell.lstrip("'")[:1] in _TRIGGERS):
        return "'" + cell
    return cell


def unneutralise(cell: str) -> str:
    """The value `neutralise` was given (for reading an export back)."""
    if cell.startswith("'") and cell.lstrip("'").startswith(_FORMULA_START):
        return cell[1:]
    return cell


def _linked(corpus: Corpus) -> tuple[dict[str, set[str]], dict[str, set[str]]]:
    supports: dict[str, set[str]] = {}
    conflicts: dict[str, set[str]] = {}
    for link in corpus.linkage.links:
        target = supports if link.relation == "supports" else conflicts if link.relation == "conflicts" else None
        if target is None:
            continue
        target.setdefault(link.claim_id, set()).add(link.other_id)
        target.setdefault(link.other_id, set()).add(link.claim_id)
    return supports, conflicts


def _counts(j: Judgement) -> bool:
    return bool(j.status or j.note)


def final_decision(
    judgements: Sequence[Judgement], adjudicators: Sequence[str] = DEFAULT_ADJUDICATORS
) -> tuple[str, str, list[Judgement], int | None, int | None]:
    """(status, decision, the judgements behind it, votes, voters) for one claim; votes and
    voters are None when nobody judged it."""
    judged = [j for j in judgements if j.status]
    if not judged:
        return "", "", [], None, None
    adj = [j for j in judged if j.reviewer in adjudicators]
    if adj:
        latest = max(adj, key=lambda j: j.updated)
        return latest.status, "adjudicated", [latest], 1, 1
    votes = Counter(j.status for j in judged)
    ranked = votes.most_common()
    total = len(judged)
    top_status, top = ranked[0]
    if len(ranked) == 1:
        return top_status, "unanimous", judged, total, total
    if top > ranked[1][1]:
        return top_status, "majority", [j for j in judged if j.status == top_status], top, total
    return "", "tie", [], top, total


def export_rows(
    db: Database,
    *,
    reviewer: str | None = None,
    final: bool = False,
    only: str | Sequence[str] | None = None,
    adjudicators: Sequence[str] = DEFAULT_ADJUDICATORS,
) -> Iterator[dict[str, Any]]:
    """The export as dicts (COLUMNS, or FINAL_COLUMNS with final), id lists as lists."""
    if final and reviewer is not None:
        raise ValueError("final combines every reviewer's judgement; give no reviewer")
    filters = [only] if isinstance(only, str) else list(only or ())
    for name in filters:
        if name not in FILTERS:
            raise ValueError(f"unknown filter {name!r} (one of {', '.join(FILTERS)})")
    corpus = db.corpus()
    by_claim: dict[str, list[Judgement]] = {}
    for j in db.judgements():
        by_claim.setdefault(j.claim_id, []).append(j)
    for js in by_claim.values():
        js.sort(key=lambda j: j.reviewer)
    supports, conflicts = _linked(corpus)
    articles = {a.id: a for a in corpus.articles}
    for claim in corpus.claims:
        js = by_claim.get(claim.id, [])
        suggestion = corpus.linkage.suggestions.get(claim.id)
        if filters and not matches_all(filters, claim, js, suggestion, reviewer):
            continue
        article = articles.get(claim.article_id)
        base = {
            "claim_id": claim.id,
            "article_id": claim.article_id,
            "source": article.source if article else "",
            "outlet": article.outlet if article else "",
            "title": article.title if article else "",
            "url": article.url if article else "",
            "published": article.published if article else "",
            "published_raw": article.published_raw if article else "",
            "authors": list(article.authors) if article else [],
            "start": claim.start,
            "end": claim.end,
            "text": claim.text,
            "kind": claim.kind,
            "attribution": claim.attribution.label,
            "suggested_status": suggestion.status if suggestion else "",
            "suggestion_reason": suggestion.reason if suggestion else "",
            "supporting_claims": sorted(supports.get(claim.id, ())),
            "conflicting_claims": sorted(conflicts.get(claim.id, ())),
        }
        yield from _judgement_rows(base, js, final=final, adjudicators=adjudicators, reviewer=reviewer,
                                   keep_unjudged=True)
    if filters:
        return
    known = set(corpus.claim_ids())
    for claim_id in sorted(set(by_claim) - known):
        empty = {c: "" for c in COLUMNS}
        empty.update(claim_id=claim_id, supporting_claims=[], conflicting_claims=[])
        yield from _judgement_rows(empty, by_claim[claim_id], final=final, adjudicators=adjudicators,
                                   reviewer=reviewer, keep_unjudged=False)


def _judgement_rows(base: dict[str, Any], js, *, final: bool, adjudicators, reviewer: str | None,
                    keep_unjudged: bool) -> Iterator[dict[str, Any]]:
    """The rows of one claim: one per (chosen) reviewer's judgement, or with `final` the one
    decision; `keep_unjudged` gives a claim nobody judged its one row with the last four empty."""
    if final:
        status, decision, behind, votes, voters = final_decision(js, adjudicators)
        if decision or keep_unjudged:
            yield {
                **base,
                "reviewer": ";".join(j.reviewer for j in behind),
                "status": status,
                "note": behind[0].note if decision == "adjudicated" else "",
                "reviewed_at": max((j.updated for j in behind), default=""),
                "decision": decision,
                "votes": votes,
                "voters": voters,
            }
        return
    mine = [j for j in js if _counts(j) and (reviewer is None or j.reviewer == reviewer)]
    if not mine and keep_unjudged:
        yield {**base, "reviewer": "", "status": "", "note": "", "reviewed_at": ""}
    for j in mine:
        yield {**base, "reviewer": j.reviewer, "status": j.status, "note": j.note, "reviewed_at": j.updated}


def _csv_cell(value: Any) -> str:
    kind = type(value)
    if kind is str:
        return neutralise(value) if value else value
    if kind is list:
        return neutralise(";".join(value))
    if kind is int:
        return str(value)
    if value is None:
        return ""
    return neutralise(str(value))


def write_export(
    db: Database,
    out: TextIO,
    *,
    fmt: str = "csv",
    reviewer: str | None = None,
    final: bool = False,
    only: str | Sequence[str] | None = None,
    bom: bool = False,
    adjudicators: Sequence[str] = DEFAULT_ADJUDICATORS,
) -> int:
    """Write the export to `out` (a text stream; for CSV open it with newline=""). Returns the row count."""
    if fmt not in FORMATS:
        raise ValueError(f"unknown format {fmt!r} (csv or jsonl)")
    if final and reviewer is not None:
        raise ValueError("final combines every reviewer's judgement; give no reviewer")
    for name in [only] if isinstance(only, str) else list(only or ()):
        if name not in FILTERS:
            raise ValueError(f"unknown filter {name!r} (one of {', '.join(FILTERS)})")
    columns = FINAL_COLUMNS if final else COLUMNS
    rows = export_rows(db, reviewer=reviewer, final=final, only=only, adjudicators=adjudicators)
    if bom:
        out.write("\ufeff")
    n = 0
    if fmt == "csv":
        writer = csv.writer(out, lineterminator="\r\n")
        writer.writerow(columns)
        for row in rows:
            writer.writerow([_csv_cell(row[c]) for c in columns])
            n += 1
    else:
        for row in rows:
            out.write(orjson.dumps({c: row.get(c, "") for c in columns + JSONL_EXTRA}).decode("utf-8"))
            out.write("\n")
            n += 1
    return n


class ExportTargetError(ValueError):
    """An export path that must not be written; str() names the path and the reason."""


def database_folder_of(path: Path, extra: Sequence[Path] = ()) -> Path | None:
    """The claimdesk database folder that `path` would land in (the folder holding it or any
    folder above it, links resolved), else None. A database folder is one with a corpus.json,
    its backup, or both judgements/ and locks/; `extra` folders count as databases too."""
    folder = Path(os.path.abspath(path)).parent
    try:
        folder = folder.resolve()
    except (OSError, RuntimeError):
        pass
    extra_resolved = set()
    for e in extra:
        try:
            extra_resolved.add(Path(e).resolve())
        except (OSError, RuntimeError):
            extra_resolved.add(Path(os.path.abspath(e)))
    for candidate in (folder, *folder.parents):
        if candidate in extra_resolved:
            return candidate
        try:
            if (
                (candidate / CORPUS_FILE).exists()
                or (candidate / f"{CORPUS_FILE}.bak").exists()
                or ((candidate / JUDGEMENTS_DIR).is_dir() and (candidate / LOCKS_DIR).is_dir())
            ):
                return candidate
        except OSError:
            continue
    return None


def check_target(path: Path, databases: Sequence[Path] = ()) -> None:
    """Refuse (ExportTargetError) an export path inside a database folder, whose folder does
    not exist, or that is a folder."""
    path = Path(path)
    db = database_folder_of(path, databases)
    if db is not None:
        raise ExportTargetError(f"{path}: inside the database folder {db}; export somewhere else")
    folder = path.parent if str(path.parent) else Path(".")
    if not folder.is_dir():
        raise ExportTargetError(f"{path}: cannot write: the folder {folder} does not exist")
    if path.is_dir():
        raise ExportTargetError(f"{path}: is a folder; give a file name")


def write_file_atomic(
    path: Path, produce: Callable[[TextIO], Any], *, mode: int = 0o600, databases: Sequence[Path] = ()
) -> Any:
    """Run `produce(stream)` into a temp file beside `path`, then replace `path` with it.

    The file gets exactly `mode` (default 0600: an export holds everyone's notes), whatever the
    umask. Refused before anything is written when `path` is inside a database folder
    (`check_target`). A failure (or a kill) leaves any earlier file at `path` untouched.
    """
    path = Path(path)
    check_target(path, databases)
    folder = path.parent if str(path.parent) else Path(".")
    fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=folder)
    try:
        os.fchmod(fd, mode)
        with io.open(fd, "w", encoding="utf-8", newline="") as fh:
            result = produce(fh)
            fh.flush()
            os.fsync(fh.fileno())
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise
    return result


def read_csv(stream: Iterable[str]) -> list[dict[str, str]]:
    """Read a CSV export back (BOM dropped, neutralised cells restored)."""
    rows = []
    for i, row in enumerate(csv.DictReader(stream)):
        rows.append({k.lstrip("\ufeff") if k else k: unneutralise(v) for k, v in row.items()})
    return rows
