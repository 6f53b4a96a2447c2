"""Where things are in a database folder (schema version 4): names, the schema, the shards.

See `store/__init__.py` for the whole layout. Every module of the store that needs a file name
takes it from here, so nothing else has to import the database to know where a file is.
"""

from __future__ import annotations

import zlib
from pathlib import Path

FORMAT = "claimdesk"
SCHEMA_VERSION = 4
DEFAULT_SHARDS = 64
CORPUS_FILE = "corpus.json"
JUDGEMENTS_DIR = "judgements"
LOCKS_DIR = "locks"
JUDGEMENTS_TABLE = "judgements"


def file_mode(group_shared: bool) -> int:
    """0660 in a group-shared database, else 0600."""
    return 0o660 if group_shared else 0o600


def shard_of(claim_id: str, shards: int) -> int:
    return zlib.crc32(claim_id.encode("utf-8")) % shards


def shard_name(i: int) -> str:
    return f"j-{i:03d}"


def shard_path(folder: Path, i: int) -> Path:
    """judgements/j-NNN.json of the database folder `folder`."""
    return Path(folder) / JUDGEMENTS_DIR / f"{shard_name(i)}.json"


def lock_path(folder: Path, name: str) -> Path:
    return Path(folder) / LOCKS_DIR / f"{name}.lock"
