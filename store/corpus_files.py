"""corpus.json and its links file on disk: written atomically (links file first), read with
one clear line for every way they can be wrong; the database folder created."""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from collections.abc import Sequence
from typing import Any

from claimdesk.extract.model import Article, Claim, Linkage
from claimdesk.store.corpus import encode_corpus
from claimdesk.store.errors import DatabaseError
from claimdesk.store.gc_pause import no_gc
from claimdesk.store.judgements import utc_now
from claimdesk.store.layout import CORPUS_FILE, DEFAULT_SHARDS, FORMAT, JUDGEMENTS_DIR, LOCKS_DIR, SCHEMA_VERSION
from claimdesk.store.links import encode_links, is_links_file, links_file_name, new_generation
from claimdesk.store.locks import Lock as _Lock
from claimdesk.store.storage import CorruptFile, read_json, write_json_atomic


def write_corpus(
    folder: Path, meta: dict[str, Any], articles: Sequence[Article], claims: Sequence[Claim], linkage: Linkage,
    mode: int, *, backup: bool = True,
) -> None:
    """The links file (a new generation) first, then corpus.json naming it, then the links files
    nobody names any more: a crash at any point leaves corpus.json with its own links file."""
    meta = dict(meta)
    generation = new_generation(int(meta.get("ingests", 0)))
    links = encode_links(linkage.links, generation)
    name = links_file_name(generation)
    meta["links"] = {"file": name, "generation": generation, "count": links["count"]}
    payload = encode_corpus(meta, articles, claims, linkage)  # everything encoded before anything is written
    _write(folder / name, links, mode, backup=False)
    try:
        _write(folder / CORPUS_FILE, payload, mode, backup=backup)
    except BaseException:
        with contextlib.suppress(OSError):
            (folder / name).unlink()
        raise
    remove_unused_links(folder)


def named_links_files(folder: Path) -> set[str]:
    """The links files that corpus.json and its backup name."""
    out = set()
    for name in (CORPUS_FILE, CORPUS_FILE + ".bak"):
        try:
            meta = _meta_of_file(folder / name)
        except (CorruptFile, OSError):
            continue
        info = meta.get("links") if meta else None
        if isinstance(info, dict) and isinstance(info.get("file"), str):
            out.add(info["file"])
    return out


def _meta_of_file(file: Path) -> dict[str, Any] | None:
    data = read_json(file)
    meta = ((data or {}).get("meta") or {}).get("1") if isinstance((data or {}).get("meta"), dict) else None
    return meta if isinstance(meta, dict) else None


def remove_unused_links(folder: Path) -> list[Path]:
    """Remove links files named neither by corpus.json nor by corpus.json.bak (call under the corpus lock)."""
    keep = named_links_files(folder)
    removed = []
    for p in folder.iterdir():
        if is_links_file(p.name) and p.name not in keep:
            try:
                p.unlink()
                removed.append(p)
            except OSError:
                pass
    return removed


def _write(file: Path, data: Any, mode: int, *, backup: bool = True) -> bytes:
    """Atomic write; a failing disk (full, read-only, no permission) becomes one DatabaseError line."""
    try:
        return write_json_atomic(file, data, mode=mode, backup=backup)
    except OSError as exc:
        raise DatabaseError(f"{file}: cannot write ({exc.strerror or exc}); nothing was changed") from None


def _make_dir(path: Path, group_shared: bool) -> None:
    mode = 0o2770 if group_shared else 0o700
    try:
        path.mkdir(parents=True, exist_ok=True)
        os.chmod(path, mode)
    except OSError as exc:
        raise DatabaseError(f"{path}: cannot create the database folder ({exc.strerror})") from None


def _initialise(path: Path, group_shared: bool) -> None:
    """An empty database: corpus.json (meta only), judgements/ and locks/."""
    file_mode = 0o660 if group_shared else 0o600
    for sub in (LOCKS_DIR, JUDGEMENTS_DIR):
        _make_dir(path / sub, group_shared)
    lock = _Lock(path / LOCKS_DIR / "corpus.lock", file_mode)
    with lock:
        if (path / CORPUS_FILE).exists():
            return  # another process made it first
        meta = {
            "format": FORMAT,
            "schema_version": SCHEMA_VERSION,
            "created": utc_now(),
            "shards": DEFAULT_SHARDS,
            "group_shared": group_shared,
        }
        write_corpus(path, meta, [], [], Linkage(), file_mode, backup=False)


def _read_meta(path: Path) -> dict[str, Any]:
    return _read_corpus_file(path)[0]


def _read_corpus_file(path: Path) -> tuple[dict[str, Any], dict[str, Any]]:
    """(meta, the whole parsed corpus.json), or DatabaseError naming the file and what is wrong."""
    file = path / CORPUS_FILE
    try:
        with no_gc(after="freeze"):
            data = read_json(file)
    except CorruptFile as exc:
        raise DatabaseError(
            f"{file}: corrupt ({exc.reason}); nothing was changed; "
            "`claimdesk doctor --restore` can put back the last good copy"
        ) from None
    except PermissionError:
        raise DatabaseError(f"{file}: permission denied") from None
    if data is None:
        raise DatabaseError(f"{file}: empty; not a claimdesk database")
    meta = (data.get("meta") or {}).get("1") if isinstance(data.get("meta"), dict) else None
    if not isinstance(meta, dict) or meta.get("format") != FORMAT:
        raise DatabaseError(f"{file}: not a claimdesk database file (foreign JSON); nothing was changed")
    return meta, data
