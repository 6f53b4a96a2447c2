"""Schema migrations, oldest first. `migrate(path)` brings a database up to SCHEMA_VERSION.

Schema 1 (the first, ingest-only layout): one file, corpus.json, holding the tables meta
(schema_version 1), articles, claims, links, families, suggestions and `judgements` — flat rows
{claim_id, reviewer, status, note, updated}, one per claim and reviewer, no history.

Schema 2: judgements moved out of corpus.json into judgements/j-NNN.json shards (by claim
id hash), each with created/updated and its full history. A schema-1 row becomes a judgement
whose history is one change with action "migrate" (what it held; nothing earlier was kept).

Schema 3 (now): the links moved out of corpus.json into links-<generation>.json (compact rows,
read lazily: `store.links`); corpus.json's meta["links"] names that file. Claim rows are
{"id", "article_id", "v": [...]}, their attribution, dates and entities positions in the new
table "shared" (`store.database.claim_to_row`); the migration re-encodes them.

A migration runs under the corpus lock and goes 1 -> 2 -> 3 in memory; it writes the shards (from
schema 1) and the links file first and the new corpus.json last (each atomically); a schema-1
corpus is kept as corpus.json.v1 (a schema-2 one is kept as corpus.json.bak, the backup every
corpus write leaves). If it is killed half-way, the database still reads as the old schema and
the next open runs the migration again from the start (an unnamed links file left by the
killed run is removed then).
"""

from __future__ import annotations

import os
import shutil
from pathlib import Path
from typing import Any

from store.judgements import Change, Judgement, judgement_to_doc
from store.links import new_generation
from store.storage import read_json, write_json_atomic


def migrate(path: Path) -> None:
    from store.database import (
        CORPUS_FILE,
        LOCKS_DIR,
        SCHEMA_VERSION,
        DatabaseError,
        _Lock,
        _make_dir,
        _read_meta,
    )

    meta = _read_meta(path)
    group_shared = bool(meta.get("group_shared", False))
    file_mode = 0o660 if group_shared else 0o600
    _make_dir(path / LOCKS_DIR, group_shared)
    with _Lock(path / LOCKS_DIR / "corpus.lock", file_mode):
        data = read_json(path / CORPUS_FILE) or {}
        meta = dict((data.get("meta") or {}).get("1") or {})
        version = meta.get("schema_version")
        if version == SCHEMA_VERSION:
            return  # another process migrated it while we waited
        if version not in (1, 2):
            raise DatabaseError(f"{path}: cannot migrate from schema version {version!r}")
        if version == 1:
            data = _v1_to_v2(path, data, group_shared, file_mode)
        _v2_to_v3(path, data, file_mode)  # takes `data` apart as it goes


def _v1_to_v2(path: Path, data: dict[str, Any], group_shared: bool, file_mode: int) -> dict[str, Any]:
    """Judgements into shards (written now); the schema-2 corpus data (not written: 2 -> 3 does)."""
    from store.database import CORPUS_FILE, DEFAULT_SHARDS, JUDGEMENTS_DIR, JUDGEMENTS_TABLE, _make_dir, shard_of

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
        by_shard.setdefault(shard_of(j.claim_id, shards), []).append(judgement_to_doc(j))
    for i in range(shards):
        file = path / JUDGEMENTS_DIR / f"j-{i:03d}.json"
        rows = by_shard.get(i, [])
        if rows or file.exists():
            table = {str(n): doc for n, doc in enumerate(rows, start=1)}
            write_json_atomic(file, {JUDGEMENTS_TABLE: table}, mode=file_mode, backup=False)
    v1_copy = path / f"{CORPUS_FILE}.v1"
    if not v1_copy.exists():
        tmp = path / f".{CORPUS_FILE}.v1.{os.getpid()}.tmp"
        shutil.copyfile(path / CORPUS_FILE, tmp)
        os.chmod(tmp, file_mode)
        os.replace(tmp, v1_copy)
    data = dict(data)
    data.pop(JUDGEMENTS_TABLE, None)
    meta["schema_version"] = 2
    meta["shards"] = shards
    meta["migrated_from"] = 1
    data["meta"] = {"1": meta}
    return data


def _v2_to_v3(path: Path, data: dict[str, Any], file_mode: int) -> None:
    """The `links` table into a links file (written first), then corpus.json without it, its
    claims re-encoded in the schema-3 rows (shared values by position)."""
    from extract.model import Linkage
    from store.database import CORPUS_FILE, SCHEMA_VERSION, _rows, decode_corpus, encode_corpus, remove_unused_links
    from store.gc_pause import no_gc
    from store.links import encode_link_rows, links_file_name

    meta = dict((data.get("meta") or {}).get("1") or {})
    generation = new_generation(int(meta.get("ingests", 0)))
    with no_gc():
        # the caller hands `data` over: the half a million link rows go before the claims are built
        links = encode_link_rows(_rows({"links": data.pop("links", None)}, "links"), generation)
        corpus = decode_corpus(data)
        claims = list(corpus.claims)
    name = links_file_name(generation)
    meta["schema_version"] = SCHEMA_VERSION
    meta.setdefault("migrated_from", 2)
    meta["links"] = {"file": name, "generation": generation, "count": links["count"]}
    linkage = Linkage((), corpus.linkage.families, corpus.linkage.suggestions)
    out = encode_corpus(meta, corpus.articles, claims, linkage)
    known = {"meta", "articles", "claims", "links", "families", "suggestions", "shared"}
    out.update({k: v for k, v in data.items() if k not in known})  # a table we do not know: kept
    write_json_atomic(path / name, links, mode=file_mode, backup=False)
    write_json_atomic(path / CORPUS_FILE, out, mode=file_mode)
    remove_unused_links(path)
