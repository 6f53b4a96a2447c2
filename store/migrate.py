"""Schema migrations, oldest first. `migrate(path)` brings a database up to SCHEMA_VERSION.

Schema 1 (the first, ingest-only layout): one file, corpus.json, holding the tables meta
(schema_version 1), articles, claims, links, families, suggestions and `judgements` — flat rows
{claim_id, reviewer, status, note, updated}, one per claim and reviewer, no history.

Schema 2: judgements moved out of corpus.json into judgements/j-NNN.json shards (by claim
id hash), each with created/updated and its full history. A schema-1 row becomes a judgement
whose history is one change with action "migrate" (what it held; nothing earlier was kept).

Schema 3: the links moved out of corpus.json into links-<generation>.json (compact rows, read
lazily: `store.links`); corpus.json's meta["links"] names that file. Claim rows became
{"id", "article_id", "v": [...]}, their attribution and entities positions in the new table
"shared" (`store.database.claim_to_row`).

Schema 4 (now): a shard's rows hold current values and a change count; the changes themselves
moved to the shard's append-only log judgements/h-NNN.jsonl (`store.history`). corpus.json's
claims are one document of columns, each claim's values a JSON string (`encode_claims`); the
links file's runs are JSON strings too, with their claims in a column (`store.links`).

A migration runs under the corpus lock. It first brings every judgement shard to schema 4,
each under its own lock (from schema 1: written from the old corpus' table first), appending
a shard's changes to its log before replacing the shard; then writes the links file (a new
generation: from the schema-2 table, or the schema-3 file with its runs re-encoded as strings)
and the new corpus.json last (each atomically). A schema-1 corpus is kept
as corpus.json.v1; older ones as corpus.json.bak, the backup every corpus write leaves. If it is
killed half-way the corpus still says the old schema and the next open runs the migration again:
shards already converted are left as they are, an unnamed links file is removed.
"""

from __future__ import annotations

import os
from pathlib import Path
from typing import Any

from claimdesk.extract.model import Linkage
from claimdesk.store import history as history_log
from claimdesk.store import shards as shard_file
from claimdesk.store.corpus import decode_corpus, encode_corpus
from claimdesk.store.corpus_files import _make_dir, _read_meta, _write, remove_unused_links
from claimdesk.store.corpus_tables import rows_of as _rows
from claimdesk.store.errors import DatabaseError
from claimdesk.store.files import read_bytes, write_exclusive
from claimdesk.store.gc_pause import no_gc
from claimdesk.store.judgements import Change, Judgement, judgement_to_row
from claimdesk.store.layout import (
    CORPUS_FILE,
    DEFAULT_SHARDS,
    JUDGEMENTS_DIR,
    JUDGEMENTS_TABLE,
    LOCKS_DIR,
    SCHEMA_VERSION,
    lock_path,
    shard_name,
    shard_of,
    shard_path,
)
from claimdesk.store.links import LinksError, encode_link_rows, links_file_name, new_generation, parse_links, reencode_runs
from claimdesk.store.locks import Lock
from claimdesk.store.storage import read_json, write_json_atomic


def migrate(path: Path) -> None:

    meta = _read_meta(path)
    group_shared = bool(meta.get("group_shared", False))
    file_mode = 0o660 if group_shared else 0o600
    _make_dir(path / LOCKS_DIR, group_shared)
    with Lock(path / LOCKS_DIR / "corpus.lock", file_mode):
        data = read_json(path / CORPUS_FILE) or {}
        meta = dict((data.get("meta") or {}).get("1") or {})
        version = meta.get("schema_version")
        if version == SCHEMA_VERSION:
            return  # another process migrated it while we waited
        if version not in (1, 2, 3):
            raise DatabaseError(f"{path}: cannot migrate from schema version {version!r}")
        if version == 1:
            data = _v1_to_v2(path, data, group_shared, file_mode)
        _shards_to_v4(path, data, file_mode)
        _corpus_to_v4(path, data, file_mode)  # takes `data` apart as it goes


def _v1_to_v2(path: Path, data: dict[str, Any], group_shared: bool, file_mode: int) -> dict[str, Any]:
    """Judgements into shards (written now, in the schema-2 rows); the schema-2 corpus data (not
    written: `_corpus_to_v4` does)."""
    meta = dict((data.get("meta") or {}).get("1") or {})
    shards = DEFAULT_SHARDS
    _make_dir(path / JUDGEMENTS_DIR, group_shared)
    by_shard: dict[int, list[dict[str, Any]]] = {}
    for row in (data.get(JUDGEMENTS_TABLE) or {}).values():
        when = row.get("updated") or meta.get("created") or ""
        status, note = row.get("status", ""), row.get("note", "")
        j = Judgement(
            claim_id=row["claim_id"],
            reviewer=row["reviewer"],
            status=status,
            note=note,
            created=when,
            updated=when,
            history=(Change(when, row["reviewer"], status, note, "migrate"),),
        )
        by_shard.setdefault(shard_of(j.claim_id, shards), []).append(_v2_row(j))
    for i in range(shards):
        file = path / JUDGEMENTS_DIR / f"j-{i:03d}.json"
        rows = by_shard.get(i, [])
        if rows or file.exists():
            table = {str(n): doc for n, doc in enumerate(rows, start=1)}
            write_json_atomic(file, {JUDGEMENTS_TABLE: table}, mode=file_mode, backup=False)
    v1_copy = path / f"{CORPUS_FILE}.v1"
    if not v1_copy.exists():
        tmp = path / f".{CORPUS_FILE}.v1.{os.getpid()}.tmp"
        write_exclusive(tmp, read_bytes(path / CORPUS_FILE), file_mode)  # never through a link
        os.replace(tmp, v1_copy)
    data = dict(data)
    data.pop(JUDGEMENTS_TABLE, None)
    meta["schema_version"] = 2
    meta["shards"] = shards
    meta["migrated_from"] = 1
    data["meta"] = {"1": meta}
    return data


def _v2_row(j: Judgement) -> dict[str, Any]:
    """A judgement as a schema-2/3 shard row: current values with the history inside."""
    row = judgement_to_row(j, 0)
    del row["changes"]  # schema 4's count; here the history itself says how many
    row["history"] = [[c.at, c.reviewer, c.status, c.note, c.action] for c in j.history or ()]
    return row


def _shards_to_v4(path: Path, data: dict[str, Any], file_mode: int) -> None:
    """Every shard's histories into its log (appended, fsynced), then the shard rewritten with
    schema-4 rows; each shard under its lock. A shard already converted is left alone."""
    meta = dict((data.get("meta") or {}).get("1") or {})
    folder = path / JUDGEMENTS_DIR
    if not folder.is_dir():
        return
    for i in range(int(meta.get("shards", DEFAULT_SHARDS))):
        file = shard_path(path, i)
        if not file.exists():
            continue
        with Lock(lock_path(path, shard_name(i)), file_mode):
            table = shard_file.read_table(file) or {}  # a damaged shard: one line, nothing converted
            if not any(isinstance(row, dict) and "history" in row for row in table.values()):
                continue
            lines = shard_file.split_history(file, table)  # every field checked, never copied raw
            try:
                history_log.append(history_log.log_of(file), lines, file_mode)
            except (OSError, ValueError) as exc:
                raise DatabaseError(f"{history_log.log_of(file)}: cannot write ({getattr(exc, 'strerror', None) or exc})") from None
            _write(file, {JUDGEMENTS_TABLE: table}, file_mode)


def _corpus_to_v4(path: Path, data: dict[str, Any], file_mode: int) -> None:
    """corpus.json in schema 4: from schema 2, the `links` table into a links file (written
    first); the claims re-encoded as columns (`encode_claims`); written last."""

    meta = dict((data.get("meta") or {}).get("1") or {})
    old_version = meta.get("schema_version")
    generation = new_generation(int(meta.get("ingests", 0)))
    with no_gc():
        if "links" in data or not isinstance(meta.get("links"), dict):
            # the caller hands `data` over: the half a million link rows go before the claims are built
            links = encode_link_rows(_rows({"links": data.pop("links", None)}, "links"), generation)
        else:  # schema 3: the links file, its runs re-encoded as strings (a new generation)
            info = meta["links"]
            try:
                old = parse_links((path / str(info.get("file"))).read_bytes(), path / str(info.get("file")),
                                  str(info.get("generation")))
            except (OSError, LinksError) as exc:
                raise DatabaseError(
                    f"{path / str(info.get('file'))}: cannot migrate the links ({getattr(exc, 'reason', exc)}); "
                    "`claimdesk doctor --restore` can rebuild them first"
                ) from None
            links = reencode_runs(old, generation)
        corpus = decode_corpus(data, path)
        claims = list(corpus.claims)
    meta["schema_version"] = SCHEMA_VERSION
    meta.setdefault("migrated_from", old_version)
    name = links_file_name(generation)
    meta["links"] = {"file": name, "generation": generation, "count": links["count"]}
    linkage = Linkage((), corpus.linkage.families, corpus.linkage.suggestions)
    out = encode_corpus(meta, corpus.articles, claims, linkage)
    known = {"meta", "articles", "claims", "links", "families", "suggestions", "shared"}
    out.update({k: v for k, v in data.items() if k not in known})  # a table we do not know: kept
    write_json_atomic(path / name, links, mode=file_mode, backup=False)
    write_json_atomic(path / CORPUS_FILE, out, mode=file_mode)
    remove_unused_links(path)
