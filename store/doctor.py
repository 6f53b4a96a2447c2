"""`claimdesk doctor`: check a database folder, and put back the last good copy of a corrupt file.

Checks: the folder is one; corpus.json parses, is a claimdesk file, has a schema version this
claimdesk can read; the links file corpus.json names (schema 3 and later) is there, parses, is of the same
generation and links claims of the corpus; links files no corpus names (left by an interrupted
ingest); every judgement shard parses and holds well-formed judgements, each in the
shard its claim id hashes to; each shard's history log (schema 4) holds every change the
shard has committed (a torn last line or unparsable lines left by killed writers are
warnings: readers skip them); judgements that reference claims no longer in the corpus
(orphaned: kept, listed); every backup (NAME.bak) parses; stray temp files from killed writers;
file permissions (0600, or 0660 in a group-shared database).

`restore` replaces each corrupt file whose backup parses with that backup (the corrupt file is
kept beside it as NAME.corrupt-TIMESTAMP; nothing is deleted) and removes stray temp files whose
writer is gone. A restored file is the previous good version: the last change written to it
(an ingest for corpus.json, a judgement for a shard) may be lost, and the report says so.
A history log has no backup (it is only ever appended to): a restored shard is the previous
good version, and the log's change past it stays in the log, ignored.
A missing or corrupt links file is rebuilt from the corpus with the linker the caller passes
(`extract.links.link_corpus`, pure Python: the same links ingest made); links files no corpus names are removed.
"""

from __future__ import annotations

import os
import stat
from dataclasses import dataclass, field
from datetime import datetime, timezone
from pathlib import Path
from typing import Any, Callable

from claimdesk.extract.model import Article, Claim, Linkage

from claimdesk.store import history as history_log
from claimdesk.store.claim_rows import claim_ids_of
from claimdesk.store.corpus import decode_corpus
from claimdesk.store.corpus_files import named_links_files, remove_unused_links
from claimdesk.store.layout import (
    CORPUS_FILE,
    DEFAULT_SHARDS,
    FORMAT,
    JUDGEMENTS_DIR,
    JUDGEMENTS_TABLE,
    LOCKS_DIR,
    SCHEMA_VERSION,
    shard_of,
)
from claimdesk.store.locks import Lock as _Lock
from claimdesk.store import shards as shard_file
from claimdesk.store.errors import DamagedShard, DatabaseError
from claimdesk.store.files import check_folder, check_name, read_bytes
from claimdesk.store.pages import PAGES_DIR
from claimdesk.store.storage import (
    BACKUP_SUFFIX,
    CorruptFile,
    fsync_dir,
    read_json,
    stray_temp_files,
    temp_owner_alive,
    write_json_atomic,
)
from claimdesk.store.links import LinksError, encode_links, is_links_file, parse_links

OK, WARNING, ERROR = "ok", "warning", "error"

Linker = Callable[[list[Article], list[Claim]], Linkage]


@dataclass(frozen=True)
class Finding:
    level: str  # ok | warning | error
    path: str
    message: str

    def __str__(self) -> str:
        return f"{self.level}: {self.path}: {self.message}"


@dataclass
class DoctorReport:
    path: Path
    findings: list[Finding] = field(default_factory=list)
    corrupt: list[Path] = field(default_factory=list)  # files that do not parse
    orphaned: list[tuple[str, str]] = field(default_factory=list)  # (claim id, reviewer)
    judgements: int = 0
    claims: int = 0
    links: int = 0
    bad_links: Path | None = None  # the named links file, when it is missing or does not parse
    unused_links: list[Path] = field(default_factory=list)  # links files no corpus names
    unsafe: list[Path] = field(default_factory=list)  # links, FIFOs, folders... where a regular file should be

    @property
    def ok(self) -> bool:
        return not any(f.level == ERROR for f in self.findings)

    def add(self, level: str, path: Path | str, message: str) -> None:
        self.findings.append(Finding(level, str(path), message))


def _parse(path: Path) -> tuple[dict[str, Any] | None, str]:
    try:
        return read_json(path), ""
    except CorruptFile as exc:
        return None, exc.reason
    except PermissionError:
        return None, "permission denied"


def _meta_of(data: dict[str, Any] | None) -> dict[str, Any] | None:
    if not data or not isinstance(data.get("meta"), dict):
        return None
    meta = data["meta"].get("1")
    return meta if isinstance(meta, dict) and meta.get("format") == FORMAT else None


def check(path: Path) -> DoctorReport:
    path = Path(path)
    report = DoctorReport(path)
    if not path.exists():
        report.add(ERROR, path, "no such database folder")
        return report
    if not path.is_dir():
        report.add(ERROR, path, "is a file, not a claimdesk database folder")
        return report
    _check_names(report, path)
    corpus_file = path / CORPUS_FILE
    data, reason = _parse(corpus_file)
    meta = _meta_of(data)
    shards = DEFAULT_SHARDS
    group_shared = False
    claim_ids: set[str] | None = None
    if reason:
        report.corrupt.append(corpus_file)
        report.add(ERROR, corpus_file, f"corrupt ({reason})" + _restorable(corpus_file))
    elif data is None:
        if corpus_file.with_name(CORPUS_FILE + BACKUP_SUFFIX).exists():
            report.corrupt.append(corpus_file)
        report.add(ERROR, corpus_file, "missing or empty" + _restorable(corpus_file))
    elif meta is None:
        report.add(ERROR, corpus_file, "not a claimdesk database file (foreign JSON)")
    else:
        version = meta.get("schema_version")
        shards = int(meta.get("shards", DEFAULT_SHARDS))
        group_shared = bool(meta.get("group_shared", False))
        if not isinstance(version, int):
            report.add(ERROR, corpus_file, "no schema version")
        elif version > SCHEMA_VERSION:
            report.add(ERROR, corpus_file, f"schema version {version} is newer than this claimdesk ({SCHEMA_VERSION})")
        elif version < SCHEMA_VERSION:
            report.add(WARNING, corpus_file, f"schema version {version}: migrated to {SCHEMA_VERSION} when next opened")
        claim_ids = set(claim_ids_of(data))
        report.claims = len(claim_ids)
        report.add(OK, corpus_file, f"schema {version}, {len(data.get('articles') or {})} articles, {len(claim_ids)} claims")
        _check_links(report, path, meta, claim_ids)
        if version == 1:  # judgements still inside the corpus file
            for row in (data.get(JUDGEMENTS_TABLE) or {}).values():
                report.judgements += 1
                if row.get("claim_id") not in claim_ids:
                    report.orphaned.append((row.get("claim_id", ""), row.get("reviewer", "")))
    want_mode = 0o660 if group_shared else 0o600
    folder = path / JUDGEMENTS_DIR
    shard_files = sorted(folder.glob("*.json")) if folder.is_dir() else []
    bad_docs = misplaced = 0
    log_files = sorted(folder.glob(f"h-*{history_log.SUFFIX}")) if folder.is_dir() else []
    for file in shard_files:
        try:
            table = shard_file.read_table(file) or {}
        except DamagedShard as exc:
            report.corrupt.append(file)
            report.add(ERROR, file, str(exc).removeprefix(f"{file}: ").replace("; nothing was changed", "") + _rebuildable(file))
            continue
        committed: dict[tuple[str, str], int] = {}
        for doc in table.values():
            if "history" not in doc:
                committed[(doc["claim_id"], doc["reviewer"])] = doc["changes"]
            report.judgements += 1
            expected = f"j-{shard_of(doc['claim_id'], shards):03d}.json"
            if file.name != expected:
                misplaced += 1
            if claim_ids is not None and doc["claim_id"] not in claim_ids:
                report.orphaned.append((doc["claim_id"], doc["reviewer"]))
        if committed:
            _check_log(report, history_log.log_of(file), committed)
    if shard_files or report.judgements:
        report.add(OK, folder, f"{len(shard_files)} shard files, {report.judgements} judgements")
    if bad_docs:
        report.add(ERROR, folder, f"{bad_docs} malformed judgement record(s)")
    if misplaced:
        report.add(ERROR, folder, f"{misplaced} judgement(s) in the wrong shard (not found by lookups)")
    if report.orphaned:
        sample = ", ".join(sorted({c for c, _ in report.orphaned})[:5])
        report.add(
            WARNING,
            path,
            f"{len(report.orphaned)} judgement(s) on claims no longer in the corpus (kept): {sample}"
            + (" ..." if len({c for c, _ in report.orphaned}) > 5 else ""),
        )
    for bak in sorted([*path.glob(f"*{BACKUP_SUFFIX}"), *folder.glob(f"*{BACKUP_SUFFIX}")]):
        _, breason = _parse(bak)
        if breason:
            report.add(WARNING, bak, f"backup does not parse ({breason})")
    for tmp in [*stray_temp_files(path), *stray_temp_files(folder)]:
        if not temp_owner_alive(tmp):
            report.add(WARNING, tmp, "stray temp file from an interrupted write (removed by --restore)")
    named = named_links_files(path)
    for file in sorted(path.glob("links-*.json")):
        if is_links_file(file.name) and file.name not in named:
            report.unused_links.append(file)
            report.add(WARNING, file, "links file no corpus names (left by an interrupted ingest; removed by --restore)")
    links_files = [path / name for name in sorted(named) if (path / name).exists()]
    for file in [corpus_file, *links_files, *shard_files, *log_files]:
        try:
            mode = stat.S_IMODE(os.stat(file).st_mode)
        except OSError:
            continue
        if mode & ~want_mode:
            report.add(WARNING, file, f"permissions {mode:04o}, expected {want_mode:04o}")
    return report


def _check_names(report: DoctorReport, path: Path) -> None:
    """Every name in the database folder, judgements/, locks/ and pages/ (the fetched pages) that
    is not a regular file we may trust (a symbolic link, a FIFO, a folder, a world-writable or
    foreign file): claimdesk refuses to open them; `--restore` moves them aside
    (NAME.unsafe-TIMESTAMP, never followed)."""
    for sub in (JUDGEMENTS_DIR, LOCKS_DIR, PAGES_DIR):
        why = check_folder(path / sub)
        if why:
            report.unsafe.append(path / sub)
            report.add(ERROR, path / sub, f"{why}; refused (moved aside by --restore)")
    for folder in (path, path / JUDGEMENTS_DIR, path / LOCKS_DIR, path / PAGES_DIR):
        if check_folder(folder) or not folder.is_dir():
            continue
        for entry in sorted(folder.iterdir()):
            if entry.parent == path and entry.name in (JUDGEMENTS_DIR, LOCKS_DIR, PAGES_DIR):
                continue
            if ".corrupt-" in entry.name or ".unsafe-" in entry.name:
                continue  # what an earlier --restore set aside
            why = check_name(entry)
            if why:
                report.unsafe.append(entry)
                report.add(ERROR, entry, f"{why}; claimdesk refuses to open it (moved aside by --restore)")


def _check_log(report: DoctorReport, file: Path, committed: dict[tuple[str, str], int]) -> None:
    """A shard's history log against the changes its current values have committed."""
    try:
        log = history_log.read(file)
    except CorruptFile as exc:  # a link or a non-regular file where the log should be
        report.add(ERROR, file, exc.reason)
        return
    except OSError as exc:
        report.add(ERROR, file, f"cannot read the history log ({exc.strerror or exc})")
        return
    if log.torn_tail:
        report.add(WARNING, file, "last line incomplete (a write interrupted before it was committed; ignored)")
    if log.bad_lines:
        lines = ", ".join(map(str, log.bad_lines[:5])) + (" ..." if len(log.bad_lines) > 5 else "")
        report.add(WARNING, file, f"{len(log.bad_lines)} line(s) that do not parse, ignored (line {lines})")
    missing = log.missing(committed)
    if missing:
        report.add(
            ERROR, file,
            f"{missing} committed change(s) missing from the history log"
            f"{'' if file.exists() else ' (the log is gone)'}: their history cannot be shown",
        )


def _check_links(report: DoctorReport, path: Path, meta: dict[str, Any], claim_ids: set[str]) -> None:
    info = meta.get("links")
    if not isinstance(info, dict):
        return  # schema 2 and older: the links are a table of corpus.json
    file = path / str(info.get("file"))
    if not is_links_file(file.name) or file.parent != path:
        report.add(ERROR, path / CORPUS_FILE, f"names a links file {info.get('file')!r} that is not one")
        return
    try:
        data = parse_links(read_bytes(file), file, str(info.get("generation")))
    except FileNotFoundError:
        report.bad_links = file
        report.add(ERROR, file, "missing (named by corpus.json); `claimdesk doctor --restore` rebuilds it from the corpus")
        return
    except (LinksError, CorruptFile, OSError) as exc:
        report.bad_links = file
        reason = exc.reason if isinstance(exc, (LinksError, CorruptFile)) else (exc.strerror or str(exc))
        report.add(ERROR, file, f"corrupt ({reason}); `claimdesk doctor --restore` rebuilds it from the corpus")
        return
    report.links = int(data.get("count") or 0)
    strangers = [cid for cid in data["ids"] if cid not in claim_ids]
    report.add(OK, file, f"{report.links} links over {len(data['ids'])} claims")
    if strangers:
        report.add(ERROR, file, f"{len(strangers)} linked claim id(s) not in the corpus: {', '.join(strangers[:5])}")


def _relink(path: Path, file: Path, mode: int, link_corpus: Linker) -> str:
    """Rebuild the links file corpus.json names from the corpus with the pure linker the caller
    gives (`extract.links.link_corpus`: the links ingest made); the store never links itself."""
    data = read_json(path / CORPUS_FILE) or {}
    meta = _meta_of(data) or {}
    info = meta.get("links") or {}
    if info.get("file") != file.name:
        return f"{file}: no longer named by corpus.json; left as it is"
    corpus = decode_corpus({k: v for k, v in data.items() if k != "links"})
    linkage = link_corpus(list(corpus.articles), list(corpus.claims))
    payload = encode_links(linkage.links, str(info.get("generation")))
    if os.path.lexists(file):
        stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
        _set_aside(file, file.with_name(f"{file.name}.corrupt-{stamp}"))
    write_json_atomic(file, payload, mode=mode, backup=False)
    return f"{file}: rebuilt from the corpus ({payload['count']} links)"


def _set_aside(file: Path, kept: Path) -> None:
    """Keep what is at `file` as `kept`: a hard link to the name itself (a symbolic link stays
    one, never followed; nothing is copied out of it), else a rename."""
    try:
        os.link(file, kept, follow_symlinks=False)
    except OSError:
        os.replace(file, kept)


def _rebuildable(file: Path) -> str:
    log = history_log.log_of(file)
    try:
        if history_log.read(log).changes:
            return f"; `claimdesk doctor --restore` rebuilds it from {log.name}"
    except (CorruptFile, OSError):
        pass
    return _restorable(file)


def _good_backup(file: Path) -> tuple[dict[str, Any] | None, str]:
    """The judgements table of a shard's backup when it checks (None, reason otherwise)."""
    bak = file.with_name(file.name + BACKUP_SUFFIX)
    if not os.path.lexists(bak):
        return None, "missing"
    try:
        table = shard_file.read_table(bak)
    except DamagedShard as exc:
        return None, str(exc).removeprefix(f"{bak}: ").split(";")[0]
    return table, ""


def _restore_shard(file: Path, mode: int, stamp: str) -> str:
    """A damaged shard's current values rebuilt from its history log (every committed change
    is there), the backup filling in what the log lacks; else the backup; else left alone."""
    log_file = history_log.log_of(file)
    try:
        log = history_log.read(log_file)
    except (CorruptFile, OSError):
        log = history_log.LogRead()
    backup, breason = _good_backup(file)
    if not log.changes and backup is None:
        return f"{file}: damaged, no history in {log_file.name} and no good backup ({breason}); left as it is"
    table = shard_file.rebuild(log, backup)
    kept = file.with_name(f"{file.name}.corrupt-{stamp}")
    if os.path.lexists(file):
        _set_aside(file, kept)
    write_json_atomic(file, {JUDGEMENTS_TABLE: table}, mode=mode, backup=False)
    fsync_dir(file.parent)
    source = f"its history log {log_file.name}" if log.changes else f"{file.name}{BACKUP_SUFFIX}"
    if log.changes and backup is not None:
        source += f" and {file.name}{BACKUP_SUFFIX}"
    kept_note = f"; damaged copy kept as {kept.name}" if os.path.lexists(kept) else ""
    return f"{file}: rebuilt from {source} ({len(table)} judgement(s){kept_note})"


def _restorable(file: Path) -> str:
    bak = file.with_name(file.name + BACKUP_SUFFIX)
    data, reason = _parse(bak) if bak.exists() else (None, "missing")
    if bak.exists() and not reason and data is not None:
        return "; `claimdesk doctor --restore` can put back the last good copy"
    return "; no good backup to restore"


def _make_locks(path: Path, mode: int) -> None:
    folder = path / LOCKS_DIR
    if check_folder(folder):
        raise DatabaseError(f"{folder}: {check_folder(folder)}; refused")
    folder.mkdir(mode=0o2770 if mode & 0o070 else 0o700, exist_ok=True)


def restore(path: Path, link: Linker | None = None) -> list[str]:
    """Put back the last good copy of each corrupt file (a damaged shard: rebuilt from its history
    log), move aside what is not a regular file, rebuild a bad links file with `link` (the pure
    `extract.links.link_corpus`, given by the caller), remove stray temp files. Returns what was done."""
    path = Path(path)
    done: list[str] = []
    report = check(path)
    data, reason = _parse(path / CORPUS_FILE)
    if reason:
        data, _ = _parse(path / (CORPUS_FILE + BACKUP_SUFFIX))
    meta = _meta_of(data) or {}
    mode = 0o660 if meta.get("group_shared") else 0o600
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    for name in report.unsafe:  # moved aside, never followed: the next writer makes a regular file
        if name in report.corrupt or not os.path.lexists(name):
            continue
        if name.parent == path / JUDGEMENTS_DIR and name.name.endswith(".json"):
            continue  # a shard: rebuilt below from its log
        kept = name.with_name(f"{name.name}.unsafe-{stamp}")
        try:
            os.replace(name, kept)
            done.append(f"{name}: not a regular file we may trust; moved aside as {kept.name} (not followed)")
        except OSError as exc:
            done.append(f"{name}: cannot move it aside ({exc.strerror or exc}); left as it is")
    if report.corrupt:
        _make_locks(path, mode)
    for file in report.corrupt:
        lock_name = "corpus" if file.name == CORPUS_FILE else file.stem
        with _Lock(path / LOCKS_DIR / f"{lock_name}.lock", mode):
            if file.name != CORPUS_FILE:
                try:
                    shard_file.read_table(file)
                    continue  # fixed meanwhile
                except DamagedShard:
                    done.append(_restore_shard(file, mode, stamp))
                    continue
            current, reason = _parse(file)
            if not reason and current is not None:
                continue  # fixed meanwhile
            bak = file.with_name(file.name + BACKUP_SUFFIX)
            good, breason = _parse(bak) if os.path.lexists(bak) else (None, "missing")
            if breason or good is None:
                done.append(f"{file}: corrupt and no good backup ({breason or 'empty'}); left as it is")
                continue
            kept = file.with_name(f"{file.name}.corrupt-{stamp}")
            if os.path.lexists(file):
                _set_aside(file, kept)
            write_json_atomic(file, good, mode=mode, backup=False)
            fsync_dir(file.parent)
            what = "the last ingest" if file.name == CORPUS_FILE else "the last judgement written to it"
            kept_note = f"corrupt copy kept as {kept.name}; " if os.path.lexists(kept) else ""
            done.append(f"{file}: restored from {bak.name} ({kept_note}{what} may be lost)")
    after = check(path) if report.corrupt else report
    if after.bad_links is not None or after.unused_links:
        _make_locks(path, mode)
        with _Lock(path / LOCKS_DIR / "corpus.lock", mode):
            if after.bad_links is not None:
                if link is None:
                    done.append(f"{after.bad_links}: not rebuilt (no linker given); `claimdesk doctor --restore` rebuilds it")
                else:
                    done.append(_relink(path, after.bad_links, mode, link))
            for file in remove_unused_links(path):
                done.append(f"{file}: removed (a links file no corpus names)")
    folder = path / JUDGEMENTS_DIR
    for tmp in [*stray_temp_files(path), *stray_temp_files(folder)]:
        if not temp_owner_alive(tmp):
            try:
                tmp.unlink()
                done.append(f"{tmp}: removed stray temp file")
            except OSError:
                pass
    return done
