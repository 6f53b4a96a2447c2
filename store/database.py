"""The claimdesk database: a folder of TinyDB files (layout: `store/__init__.py`, `store.layout`).

    db = Database.open(Path("claimdesk.db"), create=True)
    db.ingest(articles, claims_by_article)      # corpus: articles, claims, linkage
    db.tag(claim_id, "disputed", "ana", note="TASS only")
    db.judgements("ana")

Every read-modify-write happens under a lock (`store.locks`) and re-reads the file under that
lock (TinyDB-format tables, but our own row ids: a new row gets max+1 of what is on disk now,
never a cached `_next_id`), so several processes (reviewers on one machine, or on a shared
folder) can tag at once without losing a change. Every write is atomic (`store.storage`).
"""

from __future__ import annotations

import contextlib
import os
from pathlib import Path
from collections.abc import Iterator, Mapping, Sequence
from typing import Any

from claimdesk.extract.model import Article, Claim, STATUSES
from claimdesk.store import history as history_log
from claimdesk.store import shards as shard_file
from claimdesk.store.corpus import Corpus, _links_problem, decode_corpus, sort_corpus
from claimdesk.store.corpus_merge import CorpusUpdate, IngestResult, Linker
from claimdesk.store.corpus_files import (
    _initialise,
    _make_dir,
    _read_corpus_file,
    _read_meta,
    _write,
    named_links_files,
    remove_unused_links,
)
from claimdesk.store.errors import DamagedShard, DatabaseError, LockTimeout, UnknownClaim
from claimdesk.store.files import check_folder
from claimdesk.store.gc_pause import no_gc
from claimdesk.store.judgements import (
    Change,
    Judgement,
    committed_changes,
    judgement_from_row,
    judgement_to_row,
    judgements_from_rows,
    utc_now,
)
from claimdesk.store.layout import (
    CORPUS_FILE,
    DEFAULT_SHARDS,
    FORMAT,
    JUDGEMENTS_DIR,
    JUDGEMENTS_TABLE,
    LOCKS_DIR,
    SCHEMA_VERSION,
    file_mode,
    lock_path,
    shard_name,
    shard_of,
    shard_path,
)
from claimdesk.store.links import LinksError
from claimdesk.store.locks import LOCK_ATTEMPTS, LOCK_TIMEOUT, Lock as _Lock
from claimdesk.store import reviewers as reviewer_names
from claimdesk.store.reviewers import case_clash, normalise as normalise_reviewer, os_account
from claimdesk.store.storage import CorruptFile, read_json

__all__ = [  # the database, and (for older callers) what moved to the modules named above
    "Database", "Corpus", "IngestResult", "DatabaseError", "DamagedShard", "LockTimeout", "UnknownClaim",
    "CORPUS_FILE", "DEFAULT_SHARDS", "FORMAT", "JUDGEMENTS_DIR", "JUDGEMENTS_TABLE", "LOCKS_DIR", "SCHEMA_VERSION",
    "shard_of", "sort_corpus", "named_links_files", "remove_unused_links", "split_history", "decode_corpus",
]


def clean_text(value: str | None, *, keep_newlines: bool = False) -> str:
    """A string through `extract.sanitize` (control chars, escape sequences, bidi controls out).

    keep_newlines: a multi-line note stays multi-line (CR LF and lone CR become "\\n");
    otherwise the value is one line (whitespace runs become one space, ends stripped).
    """
    from claimdesk.extract.sanitize import sanitize, sanitize_line

    if value is None:
        return ""
    value = str(value)
    return sanitize(value) if keep_newlines else sanitize_line(value)


def _stat_key(path: Path) -> tuple[int, int, int] | None:
    try:
        st = os.stat(path)
    except FileNotFoundError:
        return None
    return (st.st_ino, st.st_mtime_ns, st.st_size)


# ------------------------------------------------------------------ the database


class Database:
    """A claimdesk database folder. Cheap to open; every call reads what is on disk now."""

    def __init__(self, path: Path, meta: dict[str, Any]):
        self.path = Path(path)
        self.meta = meta
        self.shards: int = int(meta.get("shards", DEFAULT_SHARDS))
        self.group_shared: bool = bool(meta.get("group_shared", False))
        self.file_mode = file_mode(self.group_shared)
        self._corpus_cache: tuple[Any, Corpus] | None = None
        self._raw: tuple[Any, dict[str, Any]] | None = None
        self.lock_timeout = LOCK_TIMEOUT  # seconds per attempt; then a line on stderr and a retry
        self.lock_attempts = LOCK_ATTEMPTS  # then LockTimeout: the change is not written, never dropped silently
        self._reviewers_checked: set[str] = set()  # names already checked against the others' case
        self._written: dict[Path, bytes] = {}  # shard -> fingerprint of what this object last wrote there
        os_account()  # looked up once here (a forked writer inherits it): not in a tag's time

    # ---------------------------------------------------------- opening

    @classmethod
    def open(cls, path: Path | str, *, create: bool = False, group_shared: bool = False) -> "Database":
        try:
            return cls._open(Path(path), create, group_shared)
        except PermissionError as exc:
            raise DatabaseError(f"{exc.filename or path}: permission denied") from None

    @classmethod
    def _open(cls, path: Path, create: bool, group_shared: bool) -> "Database":
        corpus_file = path / CORPUS_FILE
        if path.exists() and not path.is_dir():
            raise DatabaseError(f"{path}: is a file, not a claimdesk database folder")
        if not path.exists():
            if not create:
                raise DatabaseError(f"{path}: no database here (run `claimdesk ingest` to make one)")
            _make_dir(path, group_shared)
        for sub in (JUDGEMENTS_DIR, LOCKS_DIR):
            why = check_folder(path / sub)
            if why:
                raise DatabaseError(f"{path / sub}: {why}; refused (`claimdesk doctor` lists such files)")
        if not corpus_file.exists():
            if corpus_file.is_symlink():
                raise DatabaseError(f"{corpus_file}: dangling link")
            leftovers = [p for p in path.iterdir() if p.name not in (LOCKS_DIR, JUDGEMENTS_DIR) and not p.name.startswith(".")]
            if (path / f"{CORPUS_FILE}.bak").exists():
                raise DatabaseError(
                    f"{corpus_file}: missing (a backup is there: `claimdesk doctor --restore` puts it back)"
                )
            if leftovers or (path / JUDGEMENTS_DIR).exists() and any((path / JUDGEMENTS_DIR).iterdir()):
                raise DatabaseError(f"{path}: not a claimdesk database (no {CORPUS_FILE}, but other files)")
            if not create:
                raise DatabaseError(f"{path}: not a claimdesk database (no {CORPUS_FILE})")
            _initialise(path, group_shared)
        before = _stat_key(corpus_file)
        meta, data = _read_corpus_file(path)
        version = meta.get("schema_version")
        if not isinstance(version, int):
            raise DatabaseError(f"{corpus_file}: no schema version; not a claimdesk database")
        if version > SCHEMA_VERSION:
            raise DatabaseError(
                f"{path}: database schema version {version} is newer than this claimdesk supports "
                f"({SCHEMA_VERSION}); upgrade claimdesk to open it"
            )
        if version < SCHEMA_VERSION:
            from claimdesk.store.migrate import migrate

            data = None  # noqa: F841 - a schema-2 corpus parses to ~1 GB: let it go, migrate reads it again
            migrate(path)
            return cls(path, _read_meta(path))
        info = meta.get("links")
        if isinstance(info, dict) and "/" not in str(info.get("file")) and not (path / str(info.get("file"))).is_file():
            raise DatabaseError(_links_problem(LinksError(path / str(info.get("file")), "missing (named by corpus.json)")))
        db = cls(path, meta)
        if before is not None and _stat_key(corpus_file) == before:
            db._raw = (before, data)  # the first corpus() decodes this instead of parsing the file again
        return db

    # ---------------------------------------------------------- locks

    def _lock_path(self, name: str) -> Path:
        return lock_path(self.path, name)

    def _locked(self, name: str) -> "_Lock":
        return _Lock(self._lock_path(name), self.file_mode, self.lock_timeout, self.lock_attempts)

    # ---------------------------------------------------------- corpus

    def corpus_token(self) -> object:
        return _stat_key(self.path / CORPUS_FILE)

    def corpus(self) -> Corpus:
        """The whole corpus in one read (cached while the file is unchanged)."""
        token = self.corpus_token()
        if self._corpus_cache is not None and self._corpus_cache[0] == token and token is not None:
            return self._corpus_cache[1]
        raw, self._raw = self._raw, None
        with no_gc(after="freeze"):
            if raw is not None and raw[0] == token:
                data = raw[1]
            else:
                data = self._read(self.path / CORPUS_FILE)
            if data is None:
                raise DatabaseError(f"{self.path / CORPUS_FILE}: missing or empty")
            corpus = decode_corpus(data, self.path)
        self._corpus_cache = (token, corpus)
        return corpus

    def _read(self, file: Path) -> dict[str, Any] | None:
        try:
            return read_json(file)
        except CorruptFile as exc:
            raise DatabaseError(
                f"{exc.path}: corrupt ({exc.reason}); `claimdesk doctor --restore` can put back the last good copy"
            ) from None
        except PermissionError:
            raise DatabaseError(f"{file}: permission denied") from None

    @contextlib.contextmanager
    def corpus_update(self) -> Iterator["CorpusUpdate"]:
        """Hold the corpus lock for one ingest; the caller's pipeline reads, links and writes:

            with db.corpus_update() as update:
                merge = update.merge(articles, claims)   # the corpus on disk now, merged
                if merge.changes:
                    update.write(merge, link_corpus(merge.articles, merge.claims))  # pure linker
            result = update.result

        The store only stores: it never calls the linker. Nothing is written unless `write`
        succeeds whole (the old corpus stays as it was)."""
        update = CorpusUpdate(self)
        with self._locked("corpus"):
            yield update
        update.finish()

    def ingest(self, articles: Sequence[Article], claims: Mapping[str, Sequence[Claim]], link: Linker) -> IngestResult:
        """Merge articles (and their claims) into the corpus, link it with `link` (the pure
        `extract.links.link_corpus`, given by the caller), save it atomically (see `corpus_update`).

        Same id and digest: unchanged, skipped. Same id, other digest: its claims are replaced.
        New id: added. Nothing is written if anything fails (the old corpus stays as it was).
        """
        with self.corpus_update() as update:
            merge = update.merge(articles, claims)
            if merge.changes:
                update.write(merge, link(merge.articles, merge.claims))
        return update.result

    def _orphans(self, claim_ids: set[str]) -> list[Judgement]:
        return [j for j in self.judgements() if j.claim_id not in claim_ids]

    def orphaned(self) -> list[Judgement]:
        """Judgements whose claim is no longer in the corpus (kept, never dropped)."""
        return self._orphans(set(self.corpus().claim_ids()))

    # ---------------------------------------------------------- judgements: reading
    #
    # A shard is two files: j-NNN.json, the current values (a TinyDB table, rewritten atomically
    # on each change), and h-NNN.jsonl, the append-only history log (`store.history`). Readers
    # of current values never touch the logs; readers of history read the values first, then
    # the log, and keep the changes the values have committed.

    def _shard_name(self, i: int) -> str:
        return shard_name(i)

    def _shard_file(self, i: int) -> Path:
        return shard_path(self.path, i)

    def _log_file(self, i: int) -> Path:
        return history_log.log_of(self._shard_file(i))

    def shard_files(self) -> list[Path]:
        return [self._shard_file(i) for i in range(self.shards)]

    def judgements_token(self) -> object:
        """Changes whenever anyone writes a judgement (stat of every shard: inode, mtime, size)."""
        out = []
        folder = self.path / JUDGEMENTS_DIR
        try:
            with os.scandir(folder) as it:
                for entry in it:
                    if entry.name.endswith(".json"):
                        st = entry.stat()
                        out.append((entry.name, st.st_ino, st.st_mtime_ns, st.st_size))
        except FileNotFoundError:
            return ()
        out.sort()
        return tuple(out)

    def judgements_since(self, token: object) -> tuple[object, list[Judgement]]:
        """(new token, the judgements (current values) of every shard written since `token`).

        Judgement rows are never deleted (a cleared status is a change, not a removal), so what
        comes back are upserts: replace your copies keyed by (claim_id, reviewer) and you hold
        everything, without re-reading the shards nobody touched.
        """
        new = self.judgements_token()
        before = dict((entry[0], entry) for entry in token) if isinstance(token, tuple) else {}
        changed = [entry[0] for entry in new if before.get(entry[0]) != entry]  # type: ignore[index]
        out: list[Judgement] = []
        with no_gc():
            for name in changed:
                out += self._values_in(self.path / JUDGEMENTS_DIR / name)
        return new, out

    def _values_in(self, file: Path, reviewer: str | None = None) -> list[Judgement]:
        """The judgements (current values) of one shard; a damaged shard (empty, wrong shape, a
        malformed row, a link) is one error line (DamagedShard)."""
        table = shard_file.read_table(file, rows=False)
        if not table:
            return []
        try:
            out = judgements_from_rows(table.values(), reviewer)
            shard_file.check_values(out)  # every field's type, at C speed (50,000 rows at start)
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise DamagedShard(
                f"{file}: damaged (a malformed judgement row: {exc!r}); {shard_file.RESTORE_HINT}"
            ) from None
        return out

    def _shard_rows(self, i: int) -> list[dict[str, Any]]:
        """The rows of shard `i`, every one checked (DamagedShard otherwise)."""
        return list((shard_file.read_table(self._shard_file(i)) or {}).values())

    def judgements(self, reviewer: str | None = None, *, history: bool = False) -> list[Judgement]:
        """Every judgement (of `reviewer`, if given), shard by shard. With history=False (what the
        screen, export, stats and agreement need) `Judgement.history` is None and no log is read."""
        out: list[Judgement] = []
        with no_gc(after="promote"):
            for i in range(self.shards):
                if history:
                    out += self._with_history(i, self._shard_rows(i), reviewer)
                    continue
                out += self._values_in(self._shard_file(i), reviewer)
        return out

    def _with_history(self, i: int, rows: list[dict[str, Any]], reviewer: str | None = None) -> list[Judgement]:
        """Judgements of shard `i`'s rows (read first), their histories from the shard's log."""
        rows = [r for r in rows if reviewer is None or r.get("reviewer") == reviewer]
        if not rows:
            return []
        try:
            log = history_log.read(self._log_file(i)) if any("history" not in r for r in rows) else None
        except CorruptFile as exc:  # a link or a non-regular file where the log should be
            raise DatabaseError(f"{exc} (`claimdesk doctor` lists such files)") from None
        out = []
        try:
            for row in rows:
                if "history" in row or log is None:  # a row of an unmigrated shard carries its own
                    out.append(judgement_from_row(row))
                else:
                    key = (row["claim_id"], row["reviewer"])
                    out.append(judgement_from_row(row, log.history(key, committed_changes(row))))
        except (KeyError, TypeError, AttributeError) as exc:
            raise DatabaseError(
                f"{self._shard_file(i)}: a malformed judgement row ({exc!r}); `claimdesk doctor` checks it"
            ) from None
        return out

    def judgement(self, claim_id: str, reviewer: str) -> Judgement | None:
        """One reviewer's judgement of a claim, with its history (None if never judged)."""
        i = shard_of(claim_id, self.shards)
        rows = [r for r in self._shard_rows(i) if r.get("claim_id") == claim_id and r.get("reviewer") == reviewer]
        return self._with_history(i, rows)[0] if rows else None

    def history(self, claim_id: str) -> list[Judgement]:
        """All reviewers' judgements of one claim, each with its full history."""
        i = shard_of(claim_id, self.shards)
        out = self._with_history(i, [r for r in self._shard_rows(i) if r.get("claim_id") == claim_id])
        out.sort(key=lambda j: (j.created, j.reviewer))
        return out

    def reviewers(self) -> list[str]:
        return sorted({j.reviewer for j in self.judgements()})

    def check_reviewer(self, name: str) -> str:
        """The stored form of a reviewer name (`store.reviewers.normalise`); DatabaseError when
        nothing is left of it, or when it differs only in case from a reviewer this database
        already has (refused with a hint: never folded silently). Checked once per name and
        Database object (a damaged shard is left out of the comparison: it is reported elsewhere)."""
        clean = normalise_reviewer(name)
        if not clean:
            raise DatabaseError(f"{self.path}: a judgement needs a reviewer name ({name!r} has no printable character)")
        if clean in self._reviewers_checked:
            return clean
        known = reviewer_names.read_registry(self.path)
        if known is None or clean not in known:
            with self._locked("reviewers"):
                known = reviewer_names.read_registry(self.path)
                if known is None:  # an older database: made from the shards once
                    known = set()
                    for i in range(self.shards):
                        try:
                            known.update(j.reviewer for j in self._values_in(self._shard_file(i)))
                        except DatabaseError:
                            continue  # a damaged shard is reported elsewhere
                other = case_clash(clean, known)
                if other is not None:
                    raise DatabaseError(
                        f"{self.path}: reviewer {clean!r} differs only in case from the existing reviewer {other!r}; "
                        f"use --reviewer {other!r} if that is you (reviewer names are labels, not authentication)"
                    )
                if clean not in known:
                    try:
                        reviewer_names.record(self.path, clean, known, self.file_mode)
                    except (OSError, CorruptFile) as exc:
                        raise DatabaseError(
                            f"{reviewer_names.registry_path(self.path)}: cannot write "
                            f"({getattr(exc, 'strerror', None) or getattr(exc, 'reason', exc)}); nothing was changed"
                        ) from None
        self._reviewers_checked.add(clean)
        return clean

    # ---------------------------------------------------------- judgements: writing

    def _check_claim(self, claim_id: str) -> None:
        if claim_id in self.corpus():
            return
        if any(r.get("claim_id") == claim_id for r in self._shard_rows(shard_of(claim_id, self.shards))):
            return  # an orphaned claim keeps its judgements editable
        raise UnknownClaim(f"{self.path}: unknown claim id {claim_id!r}")

    def _change(self, claim_id: str, reviewer: str, action: str, status: str | None, note: str | None) -> Judgement | None:
        """One change, under the shard's lock: re-read the current values, append the change to
        the history log (fsynced), then replace the current values atomically. The values are
        the commit: a change whose replace did not happen is ignored by every reader."""
        claim_id = clean_text(claim_id)
        if status is not None and status and status not in STATUSES:
            raise DatabaseError(f"{self.path}: unknown status {status!r} (one of {', '.join(STATUSES)})")
        if note is not None:
            note = clean_text(note, keep_newlines=True)
        if action != "untag":
            self._check_claim(claim_id)
        reviewer = self.check_reviewer(reviewer)
        i = shard_of(claim_id, self.shards)
        file = self._shard_file(i)
        with self._locked(self._shard_name(i)):
            # read-modify-write of the shard under its lock, re-read fresh each time: the doc id
            # of a new row is computed from what is on disk now (no cached TinyDB `_next_id`)
            # a damaged shard (empty, wrong shape, a malformed row, a link) raises DamagedShard here:
            # nothing is appended, nothing written, its last good .bak is never rotated away
            table = shard_file.read_table(file, trusted=self._written) or {}
            data = {JUDGEMENTS_TABLE: table}
            lines = shard_file.split_history(file, table)  # rows still holding their history (an old backup put back)
            key = next(
                (k for k, d in table.items() if d.get("claim_id") == claim_id and d.get("reviewer") == reviewer),
                None,
            )
            row = table[key] if key is not None else None
            if action == "untag" and (row is None or not row.get("status")):
                return judgement_from_row(row) if row is not None else None  # nothing to clear: record nothing
            now = utc_now()
            old_status, old_note = (row.get("status", ""), row.get("note", "")) if row else ("", "")
            new_status = old_status if status is None else status
            new_note = old_note if note is None else note
            n = committed_changes(row) + 1 if row else 1
            judgement = Judgement(
                claim_id=claim_id,
                reviewer=reviewer,
                status=new_status,
                note=new_note,
                created=row.get("created", now) if row else now,
                updated=now,
            )
            change = Change(now, reviewer, new_status, new_note, action, os_account())
            lines.append(history_log.encode_line(claim_id, reviewer, n, change))
            try:
                history_log.append(self._log_file(i), lines, self.file_mode)
            except CorruptFile as exc:  # UnsafeFile: a link or a non-regular file where the log should be
                raise DatabaseError(f"{exc}; nothing was changed (`claimdesk doctor` lists such files)") from None
            except OSError as exc:
                raise DatabaseError(f"{self._log_file(i)}: cannot write ({exc.strerror or exc}); nothing was changed") from None
            if key is None:
                key = str(max((int(k) for k in table), default=0) + 1)
            table[key] = judgement_to_row(judgement, n)
            self._written[file] = shard_file.fingerprint(_write(file, data, self.file_mode))
            return judgement

    def tag(self, claim_id: str, status: str, reviewer: str, note: str | None = None) -> Judgement:
        """Set `reviewer`'s status on a claim (note None keeps the old note). Returns the new
        current values (history None: `judgement()` reads it)."""
        if status not in STATUSES:
            raise DatabaseError(f"{self.path}: unknown status {status!r} (one of {', '.join(STATUSES)})")
        result = self._change(claim_id, reviewer, "tag", status, note)
        assert result is not None
        return result

    def set_note(self, claim_id: str, reviewer: str, note: str) -> Judgement:
        result = self._change(claim_id, reviewer, "note", None, note or "")
        assert result is not None
        return result

    def untag(self, claim_id: str, reviewer: str) -> Judgement | None:
        """Clear `reviewer`'s status (the note stays; the history keeps everything)."""
        return self._change(claim_id, reviewer, "untag", "", None)


# ------------------------------------------------------------------ helpers


def split_history(table: dict[str, Any], file: Path | str = "judgement shard") -> list[bytes]:
    """`store.shards.split_history` (every field of an old-format row checked, never copied raw)."""
    return shard_file.split_history(Path(file), table)
