"""The claimdesk database: a folder of TinyDB files (layout: see `store/__init__.py`).

    db = Database.open(Path("claimdesk.db"), create=True)
    db.ingest(articles, claims_by_article)      # corpus: articles, claims, linkage
    db.tag(claim_id, "disputed", "ana", note="TASS only")
    db.judgements("ana")

Every read-modify-write happens under a `filelock.FileLock` and re-reads the file under that
lock (TinyDB-format tables, but our own row ids: a new row gets max+1 of what is on disk now,
never a cached `_next_id`), so several processes (reviewers on one machine, or on a shared
folder) can tag at once without losing a change. Every write is atomic (`store.storage`).
"""

from __future__ import annotations

import contextlib
import os
import sys
import zlib
from dataclasses import dataclass, field
from itertools import starmap
from pathlib import Path
from collections.abc import Iterable, Iterator, Mapping, Sequence
from typing import Any, Callable

import filelock
import orjson

from claimdesk.extract.model import (
    NO_ATTRIBUTION,
    Article,
    Attribution,
    Claim,
    DateRef,
    Entity,
    Quantity,
    Removed,
    Link,
    Linkage,
    STATUSES,
    Suggestion,
    as_dict,
    from_dict,
)
from claimdesk.store.build import fast_builder
from claimdesk.store.gc_pause import no_gc
from claimdesk.store import history as history_log
from claimdesk.store.judgements import (
    Change,
    Judgement,
    committed_changes,
    judgement_from_row,
    judgement_to_row,
    judgements_from_rows,
    utc_now,
)
from claimdesk.store.links import (
    LazyLinkage,
    LinkSource,
    LinksError,
    encode_links,
    is_links_file,
    links_file_name,
    links_from_rows,
    new_generation,
)
from claimdesk.store.storage import CorruptFile, read_json, write_json_atomic

FORMAT = "claimdesk"
SCHEMA_VERSION = 4
DEFAULT_SHARDS = 64
CORPUS_FILE = "corpus.json"
JUDGEMENTS_DIR = "judgements"
LOCKS_DIR = "locks"
JUDGEMENTS_TABLE = "judgements"

LOCK_TIMEOUT = 10.0  # seconds per attempt
LOCK_ATTEMPTS = 3  # attempts before LockTimeout
LOCK_POLL = 0.002


class DatabaseError(Exception):
    """A database that cannot be used as asked. str() is one line naming the path and the reason."""


class LockTimeout(DatabaseError):
    """Another process held a lock for too long; the change was NOT written."""


class UnknownClaim(DatabaseError, KeyError):
    """A claim id that is neither in the corpus nor judged before."""

    def __str__(self) -> str:  # KeyError would repr() the message
        return str(self.args[0]) if self.args else "unknown claim"


@dataclass(frozen=True)
class IngestResult:
    articles_new: int = 0
    articles_changed: int = 0
    articles_unchanged: int = 0
    claims_added: int = 0
    claims_removed: int = 0
    claims_total: int = 0
    orphaned: tuple[Judgement, ...] = ()  # judgements whose claim is no longer in the corpus (kept)


@dataclass
class Corpus:
    """One read of the corpus. Its links are read from their own file on first use (see
    `store.links`): `links_of`, `linkage.links` or `load_links()` (warm them in a background
    thread); `linkage.families` and `linkage.suggestions` are there at once."""

    articles: list[Article] = field(default_factory=list)  # sorted by source
    claims: Sequence[Claim] = field(default_factory=list)  # by article (as above), then start (a LazyClaims when read)
    linkage: Linkage = field(default_factory=Linkage)  # a LazyLinkage when read

    def __post_init__(self) -> None:
        self._articles = {a.id: a for a in self.articles}
        self._ids: dict[str, int] | None = None  # claim id -> position, made on first use
        self._owned: dict[str, list[int]] | None = None  # article id -> claim positions, made on first use
        if isinstance(self.linkage, LazyLinkage):
            self._link_source = self.linkage.source
        else:
            self._link_source = LinkSource(links=self.linkage.links)

    @property
    def _index(self) -> dict[str, int]:
        if self._ids is None:
            if isinstance(self.claims, LazyClaims):
                ids = self.claims.ids()
            else:
                ids = [c.id for c in self.claims]
            self._ids = dict(zip(ids, range(len(ids))))
        return self._ids

    @property
    def _by_article(self) -> dict[str, list[int]]:
        if self._owned is None:
            if isinstance(self.claims, LazyClaims):
                owners = self.claims.article_ids()
            else:
                owners = [c.article_id for c in self.claims]
            owned: dict[str, list[int]] = {}
            for i, aid in enumerate(owners):
                got = owned.get(aid)
                if got is None:
                    owned[aid] = [i]
                else:
                    got.append(i)
            self._owned = owned
        return self._owned

    def claim(self, claim_id: str) -> Claim | None:
        i = self._index.get(claim_id)
        return None if i is None else self.claims[i]

    def article(self, article_id: str) -> Article | None:
        return self._articles.get(article_id)

    def claims_of(self, article_id: str) -> list[Claim]:
        return [self.claims[i] for i in self._by_article.get(article_id, ())]

    def links_of(self, claim_id: str) -> list[Link]:
        """The links of one claim (the first call reads the links file: see `load_links`)."""
        try:
            return list(self._link_source.links_of(claim_id))
        except LinksError as exc:
            raise DatabaseError(_links_problem(exc)) from None

    def load_links(self) -> None:
        """Read the links file now (once; thread-safe). For a background worker, so that the
        first `links_of` on the screen does not wait. DatabaseError if the file is bad."""
        try:
            self._link_source.load()
        except LinksError as exc:
            raise DatabaseError(_links_problem(exc)) from None

    @property
    def links_loaded(self) -> bool:
        return self._link_source.loaded

    def suggestion(self, claim_id: str) -> Suggestion | None:
        return self.linkage.suggestions.get(claim_id)

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._index

    def claim_ids(self) -> list[str]:
        """Every claim id, in corpus order (without building the Claim objects)."""
        return list(self._index)


# ------------------------------------------------------------------ sanitising


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


# ------------------------------------------------------------------ (de)coding the corpus


def _table(rows: Sequence[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    """Rows as a TinyDB table: {"1": row, "2": row, ...}."""
    return {str(i): row for i, row in enumerate(rows, start=1)}


def _rows(data: dict[str, Any], name: str) -> list[dict[str, Any]]:
    table = data.get(name) or {}
    keys = list(table)
    if keys != list(map(str, range(1, len(keys) + 1))):  # as we write them: no sort needed
        keys.sort(key=int)
        return [table[k] for k in keys]
    return list(table.values())


def _links_problem(exc: LinksError) -> str:
    return f"{exc.path}: {exc.reason}; `claimdesk doctor --restore` can rebuild the links from the corpus"


def encode_corpus(meta: dict[str, Any], articles: Sequence[Article], claims: Sequence[Claim], linkage: Linkage) -> dict[str, Any]:
    """corpus.json's tables (without the links: `encode_links`, and meta["links"] names them)."""
    texts = {a.id: a.text for a in articles}
    shared = SharedValues()
    columns = encode_claims(claims, texts, shared)
    return {
        "meta": {"1": meta},
        "articles": _table([as_dict(a) for a in articles]),
        "shared": {"1": shared.tables()},
        "claims": {"1": columns} if claims else {},
        "families": {"1": dict(linkage.families)} if linkage.families else {},
        "suggestions": {"1": encode_suggestions(linkage.suggestions.values())} if linkage.suggestions else {},
    }


def encode_claims(claims: Sequence[Claim], texts: Mapping[str, str], shared: "SharedValues") -> dict[str, Any]:
    """The claims as one TinyDB document of columns (schema 4): {"id": [ids], "article_id":
    [ids], "v": [each claim's positional values (`claim_to_row`) as a JSON string], "text":
    {position: text} for the rare claim whose text is not its article's slice}.

    Reading 56,000 claims then parses three lists of strings (0.04 s) instead of 1.4 million
    small JSON values (0.2 s); a claim's values are parsed when it is first built."""
    ids, owners, values, odd = [], [], [], {}
    dumps = orjson.dumps
    for i, c in enumerate(claims):
        row = claim_to_row(c, texts, shared)
        ids.append(c.id)
        owners.append(c.article_id)
        values.append(dumps(row["v"]).decode())
        if "text" in row:
            odd[str(i)] = row["text"]
    return {"id": ids, "article_id": owners, "v": values, "text": odd}


def claim_ids_of(data: dict[str, Any]) -> list[str]:
    """The claim ids of a parsed corpus.json (any schema), without building claims."""
    rows = _rows(data, "claims")
    if _claim_columns(rows) is not None:
        return list(rows[0]["id"])
    return [row.get("id") for row in rows if isinstance(row, dict)]


def _claim_columns(rows: list[Any]) -> dict[str, Any] | None:
    """The schema-4 columns document, when that is what the claims table holds."""
    if len(rows) == 1 and isinstance(rows[0], dict) and isinstance(rows[0].get("id"), list):
        return rows[0]
    return None


def encode_suggestions(suggestions: Iterable[Suggestion]) -> dict[str, Any]:
    """The suggestions as one TinyDB document of columns: {"claims": [ids], "status": [positions
    in "statuses"], "reason": [positions in "reasons"], "statuses", "reasons"} (56,000 rows as
    dicts parse three times slower; reasons repeat)."""
    statuses: dict[str, int] = {}
    reasons: dict[str, int] = {}
    ids, status, reason = [], [], []
    for s in suggestions:
        ids.append(s.claim_id)
        status.append(statuses.setdefault(s.status, len(statuses)))
        reason.append(reasons.setdefault(s.reason, len(reasons)))
    return {"claims": ids, "status": status, "reason": reason, "statuses": list(statuses), "reasons": list(reasons)}


class SuggestionTable(Mapping):
    """The suggestions as a read-only mapping claim id -> Suggestion over the stored columns; a
    Suggestion is built when asked for (the screen reads a few hundred of 56,000 at a time)."""

    def __init__(self, ids: list[str], status: list[int], reason: list[int], statuses: list[str], reasons: list[str]):
        if not (len(ids) == len(status) == len(reason)):
            raise DatabaseError("suggestions: malformed (columns of different lengths)")
        try:
            inside = all(0 <= min(col, default=0) and max(col, default=-1) < len(table)
                         for col, table in ((status, statuses), (reason, reasons)))
        except TypeError:  # a position that is not a number
            inside = False
        if not inside:
            raise DatabaseError("suggestions: malformed (a position outside its table)")
        self._pos = dict(zip(ids, range(len(ids))))
        self._status, self._reason = status, reason
        self._statuses, self._reasons = statuses, reasons

    def _at(self, claim_id: str, i: int) -> Suggestion:
        return _build_suggestion(claim_id, self._statuses[self._status[i]], self._reasons[self._reason[i]])

    def __getitem__(self, claim_id: str) -> Suggestion:
        return self._at(claim_id, self._pos[claim_id])

    def get(self, claim_id: str, default: Any = None) -> Any:  # the hot path: no exception
        i = self._pos.get(claim_id)
        return default if i is None else self._at(claim_id, i)

    def status_of(self, claim_id: str) -> str:
        """The suggested status ("" when none), without building the Suggestion."""
        i = self._pos.get(claim_id)
        return "" if i is None else self._statuses[self._status[i]]

    def __contains__(self, claim_id: object) -> bool:
        return claim_id in self._pos

    def __iter__(self) -> Iterator[str]:
        return iter(self._pos)

    def __len__(self) -> int:
        return len(self._pos)

    def __repr__(self) -> str:
        return f"<SuggestionTable {len(self)} suggestions>"


def decode_suggestions(data: dict[str, Any]) -> Mapping[str, Suggestion]:
    rows = _rows(data, "suggestions")
    build = _build_suggestion
    if len(rows) == 1 and "claims" in rows[0] and "claim_id" not in rows[0]:  # the columns (schema 3)
        doc = rows[0]
        try:
            return SuggestionTable(doc["claims"], doc["status"], doc["reason"], doc["statuses"], doc["reasons"])
        except (KeyError, TypeError) as exc:
            raise DatabaseError(f"suggestions: malformed ({exc})") from None
    out = {}
    for row in rows:  # one row per suggestion (schema 2)
        out[row["claim_id"]] = (
            build(row["claim_id"], row["status"], row["reason"]) if len(row) == 3 else from_dict(Suggestion, row)
        )
    return out


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


class _Interner:
    """Builds the small value objects of claims once per distinct value (entities repeat a lot)."""

    def __init__(self) -> None:
        self.cache: dict[type, dict[tuple, Any]] = {}

    def get(self, cls: type, values: list[Any]) -> Any:
        if not isinstance(values, list):
            raise TypeError("not the compact layout")
        cache = self.cache.get(cls)
        if cache is None:
            cache = self.cache[cls] = {}
        key = tuple(values)
        try:
            obj = cache.get(key)
        except TypeError:  # an unhashable value: no sharing
            return cls(*values)
        if obj is None:
            obj = cache[key] = cls(*values)
        return obj


def _fields(obj: Any) -> list[Any]:
    return [getattr(obj, f) for f in obj.__slots__]


_SHARED = (("attributions", Attribution), ("entities", Entity))


class SharedValues:
    """The values many claims share (a corpus has ~100 distinct entities over ~65,000 uses),
    stored once in corpus.json's table "shared" and referred to by position from claim rows."""

    def __init__(self) -> None:
        self.index: dict[str, dict[Any, int]] = {name: {} for name, _ in _SHARED}

    def ref(self, name: str, obj: Any) -> int:
        table = self.index[name]
        i = table.get(obj)
        if i is None:
            i = table[obj] = len(table)
        return i

    def tables(self) -> dict[str, list[list[Any]]]:
        return {name: [_fields(obj) for obj in table] for name, table in self.index.items()}


def _shared_objects(data: dict[str, Any]) -> dict[str, list[Any]] | None:
    """The "shared" table of a parsed corpus.json as data-class objects (None: not there / odd)."""
    rows = _rows(data, "shared")
    if not rows:
        return None
    try:
        return {name: [cls(*values) for values in rows[0].get(name, ())] for name, cls in _SHARED}
    except TypeError:
        return None


def claim_to_row(c: Claim, texts: Mapping[str, str] | None = None, shared: SharedValues | None = None) -> dict[str, Any]:
    """A claim as a compact TinyDB document (a claim is read far more often than written).

    With `shared` (schema 3 rows; schema 4 keeps each "v" as a JSON string in a column, see
    `encode_claims`): {"id", "article_id", "v": [start, end,
    kind, attribution, quantities, dates, entities, lemmas, title_offices]} where attribution
    and entities are positions in the "shared" table; quantities, dates and title_offices are
    positional lists; lemmas as below. Three keys and one list parse about twice as fast as
    eleven keys. Without `shared`, the schema-2 form described next.

    Top-level fields keep their names; nested values are positional lists in field order
    (attribution, quantities, dates, entities, title_offices); lemmas are one space-joined
    string when no lemma holds a space or is empty. Fewer, bigger JSON values parse faster.
    "text" is left out when it is exactly its article's text[start:end] (the model's invariant):
    it is sliced back on reading. `_claim_from_row` reads this and the plain `as_dict` form.
    """
    lemmas: Any = list(c.lemmas)
    if not any((" " in x or not x) for x in c.lemmas):
        lemmas = " ".join(c.lemmas)
    text = texts.get(c.article_id) if texts is not None else None
    sliced = text is not None and bool(c.text) and text[c.start : c.end] == c.text
    if shared is not None:
        ref = shared.ref
        row = {
            "id": c.id,
            "article_id": c.article_id,
            "v": [
                c.start,
                c.end,
                c.kind,
                ref("attributions", c.attribution),
                [_fields(q) for q in c.quantities],
                [_fields(d) for d in c.dates],
                [ref("entities", e) for e in c.entities],
                lemmas,
                [list(t) for t in c.title_offices],
            ],
        }
        if not sliced:
            row["text"] = c.text
        return row
    row = {
        "id": c.id,
        "article_id": c.article_id,
        "start": c.start,
        "end": c.end,
        "text": c.text,
        "kind": c.kind,
        "attribution": _fields(c.attribution),
        "quantities": [_fields(q) for q in c.quantities],
        "dates": [_fields(d) for d in c.dates],
        "entities": [_fields(e) for e in c.entities],
        "lemmas": lemmas,
        "title_offices": [list(t) for t in c.title_offices],
    }
    if sliced:
        del row["text"]
    return row


def _bad_layout() -> Any:
    raise TypeError("not the compact layout")


_build_claim = fast_builder(Claim)
_build_quantity = fast_builder(Quantity)
_build_date = fast_builder(DateRef)
_build_suggestion = fast_builder(Suggestion)


def _claim_from_values(
    claim_id: Any, article_id: Any, v: Any, text: str | None, texts: Mapping[str, str], shared: dict[str, list[Any]],
    where: str = CORPUS_FILE,
) -> Claim:
    """A claim from its positional values (schema 3 and 4; a JSON string in schema 4)."""
    try:
        if type(v) is str:
            v = orjson.loads(v)
        start, end, kind, att, quantities, dates, entities, lemmas, offices = v
        if text is None:
            text = texts.get(article_id, "")[start:end]
        return _build_claim(
            claim_id,
            article_id,
            start,
            end,
            text,
            kind,
            shared["attributions"][att],
            tuple(starmap(_build_quantity, quantities)) if quantities else (),
            tuple(starmap(_build_date, dates)) if dates else (),
            tuple(map(shared["entities"].__getitem__, entities)) if entities else (),
            tuple(lemmas.split()) if type(lemmas) is str else tuple(lemmas),
            tuple(map(tuple, offices)) if offices else (),
        )
    except (TypeError, KeyError, ValueError, IndexError, orjson.JSONDecodeError) as exc:
        raise DatabaseError(f"{where}: claim {claim_id!r}: malformed row ({exc})") from None


def _claim_from_row(
    row: dict[str, Any], intern: "_Interner", texts: Mapping[str, str], shared: dict[str, list[Any]] | None = None
) -> Claim:
    """Claim from its stored document (schema-3 or -2 compact, or `as_dict` form); unknown keys ignored."""
    get = row.get
    v = get("v")
    if v is not None and shared is not None:
        return _claim_from_values(row.get("id"), row.get("article_id"), v, get("text"), texts, shared)
    try:
        start, end = row["start"], row["end"]
        text = get("text")
        if text is None:
            text = texts.get(row["article_id"], "")[start:end]
        att = get("attribution")
        lemmas = get("lemmas", ())
        shared = intern.get
        return _build_claim(
            row["id"],
            row["article_id"],
            start,
            end,
            text,
            row["kind"],
            shared(Attribution, att) if att else NO_ATTRIBUTION,
            tuple([_build_quantity(*q) if type(q) is list else _bad_layout() for q in get("quantities", ())]),
            tuple([shared(DateRef, d) for d in get("dates", ())]),
            tuple([shared(Entity, e) for e in get("entities", ())]),
            tuple(lemmas.split()) if isinstance(lemmas, str) else tuple(lemmas),
            tuple([tuple(t) for t in get("title_offices", ())]),
        )
    except (TypeError, KeyError, ValueError):  # a layout we do not know (nested dicts...): the generic way
        if "text" not in row:
            row = dict(row, text=texts.get(get("article_id"), "")[get("start", 0) : get("end", 0)])
        return from_dict(Claim, row)


class LazyClaims(Sequence):
    """The corpus' claims as a read-only list whose Claim objects are built on first access.

    50,000 claims parse in a fraction of a second; building every nested data class takes
    longer, so a screen that shows a few hundred rows only pays for those. `ids()` and
    `article_ids()` come from the stored columns without building anything.
    """

    def __init__(self, ids: list[str], article_ids: list[str], make: Callable[[int], Claim]):
        self._ids = ids
        self._owners = article_ids
        self._make = make
        self._built: list[Claim | None] = [None] * len(ids)
        self._missing = len(ids)  # 0 once every claim is built

    @classmethod
    def of_table(
        cls, rows: list[dict[str, Any]], texts: Mapping[str, str] | None = None,
        shared: dict[str, list[Any]] | None = None, where: str = CORPUS_FILE,
    ) -> "LazyClaims":
        """Over a parsed claims table: schema-4 columns, or one row per claim (older schemas).
        `where` (the file) starts every error message."""
        texts = texts or {}
        columns = _claim_columns(rows)
        if columns is not None:
            if shared is None:
                raise DatabaseError(f"{where}: claims: malformed (no shared values table)")
            try:
                ids, owners, values = columns["id"], columns["article_id"], columns["v"]
                odd = {int(k): t for k, t in (columns.get("text") or {}).items()}
            except (KeyError, TypeError, ValueError, AttributeError) as exc:
                raise DatabaseError(f"{where}: claims: malformed ({exc})") from None
            if not (len(ids) == len(owners) == len(values)):
                raise DatabaseError(f"{where}: claims: malformed (columns of different lengths)")
            return cls(ids, owners,
                       lambda i: _claim_from_values(ids[i], owners[i], values[i], odd.get(i), texts, shared, where))
        intern = _Interner()
        try:
            ids, owners = [r["id"] for r in rows], [r["article_id"] for r in rows]
        except (KeyError, TypeError) as exc:
            raise DatabaseError(f"{where}: claims: malformed row ({exc})") from None
        return cls(ids, owners, lambda i: _claim_from_row(rows[i], intern, texts, shared))

    def __len__(self) -> int:
        return len(self._ids)

    def _get(self, i: int) -> Claim:
        c = self._built[i]
        if c is None:
            c = self._built[i] = self._make(i)
        return c

    def __getitem__(self, i):  # type: ignore[override]
        if isinstance(i, slice):
            return [self._get(k) for k in range(*i.indices(len(self._ids)))]
        if i < 0:
            i += len(self._ids)
        if not 0 <= i < len(self._ids):
            raise IndexError(i)
        return self._get(i)

    def __iter__(self) -> Iterator[Claim]:
        return iter(self.build_all())

    def build_all(self) -> list[Claim]:
        """Every Claim object (built once, with the cyclic GC paused: see `no_gc`)."""
        if self._missing:
            with no_gc(after="freeze"):
                built, make = self._built, self._make
                for i in range(len(built)):
                    if built[i] is None:
                        built[i] = make(i)
            self._missing = 0
        return self._built  # type: ignore[return-value]

    def ids(self) -> list[str]:
        return list(self._ids)

    def article_ids(self) -> list[str]:
        return list(self._owners)

    def __eq__(self, other: object) -> bool:
        if isinstance(other, (list, tuple, LazyClaims)):
            return len(self) == len(other) and all(a == b for a, b in zip(self, other))
        return NotImplemented

    def __repr__(self) -> str:
        return f"<LazyClaims {len(self)} claims>"


_build_article = fast_builder(Article)
_build_removed = fast_builder(Removed)


def _article_from_row(row: dict[str, Any]) -> Article:
    """Article from its `as_dict` document (the fast way; anything unexpected: `from_dict`)."""
    try:
        removed = row["removed"]
        warnings = row["warnings"]
        return _build_article(
            row["id"],
            row["source"],
            row["outlet"],
            row["title"],
            row["text"],
            row["url"],
            row["published"],
            row["digest"],
            tuple([_build_removed(r["text"], r["reason"], r["line"], r["offset"]) for r in removed]) if removed else (),
            tuple(warnings) if warnings else (),
            row.get("published_raw", ""),
            tuple(row.get("authors") or ()),
            row.get("canonical_url", ""),
        )
    except (KeyError, TypeError):
        return from_dict(Article, row)


def decode_corpus(data: dict[str, Any], folder: Path | None = None) -> Corpus:
    """The corpus of a parsed corpus.json. Schema 3 and later: the links stay in their file (in
    `folder`) until first used; schema 2 and older: the `links` table, if any, is used as it is."""
    where = str(folder / CORPUS_FILE) if folder is not None else CORPUS_FILE
    articles = [_article_from_row(row) for row in _rows(data, "articles")]
    claims = LazyClaims.of_table(_rows(data, "claims"), {a.id: a.text for a in articles}, _shared_objects(data), where)
    meta = (data.get("meta") or {}).get("1") or {}
    info = meta.get("links") if isinstance(meta, dict) else None
    if data.get("links") or not isinstance(info, dict) or folder is None:
        source = LinkSource(links=links_from_rows(_rows(data, "links")))
    else:
        try:
            source = LinkSource(folder / str(info.get("file")), str(info.get("generation")), count=info.get("count"))
        except LinksError as exc:
            raise DatabaseError(_links_problem(exc)) from None
    fam_rows = _rows(data, "families")
    families = dict(fam_rows[0]) if fam_rows else {}
    try:
        suggestions = decode_suggestions(data)
    except DatabaseError as exc:
        raise DatabaseError(f"{where}: {exc}") from None
    return Corpus(articles=articles, claims=claims, linkage=LazyLinkage(source, families, suggestions))


def sort_corpus(articles: Sequence[Article], claims: Sequence[Claim]) -> tuple[list[Article], list[Claim]]:
    arts = sorted(articles, key=lambda a: (a.source, a.id))
    order = {a.id: i for i, a in enumerate(arts)}
    cls = sorted(claims, key=lambda c: (order.get(c.article_id, len(order)), c.start, c.end, c.id))
    return arts, cls


def shard_of(claim_id: str, shards: int) -> int:
    return zlib.crc32(claim_id.encode("utf-8")) % shards


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
        self.file_mode = 0o660 if self.group_shared else 0o600
        self._corpus_cache: tuple[Any, Corpus] | None = None
        self._raw: tuple[Any, dict[str, Any]] | None = None
        self.lock_timeout = LOCK_TIMEOUT  # seconds per attempt; then a line on stderr and a retry
        self.lock_attempts = LOCK_ATTEMPTS  # then LockTimeout: the change is not written, never dropped silently

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
        if isinstance(info, dict) and not (path / str(info.get("file"))).is_file():
            raise DatabaseError(_links_problem(LinksError(path / str(info.get("file")), "missing (named by corpus.json)")))
        db = cls(path, meta)
        if before is not None and _stat_key(corpus_file) == before:
            db._raw = (before, data)  # the first corpus() decodes this instead of parsing the file again
        return db

    # ---------------------------------------------------------- locks

    def _lock_path(self, name: str) -> Path:
        return self.path / LOCKS_DIR / f"{name}.lock"

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

    def ingest(self, articles: Sequence[Article], claims: Mapping[str, Sequence[Claim]]) -> IngestResult:
        """Merge articles (and their claims) into the corpus, relink it, save it atomically.

        Same id and digest: unchanged, skipped. Same id, other digest: its claims are replaced.
        New id: added. Nothing is written if anything fails (the old corpus stays as it was).
        """
        from claimdesk.extract.links import link_corpus  # lazy: pure Python, but only ingest needs it

        with self._locked("corpus"):
            data = self._read(self.path / CORPUS_FILE)
            if data is None:
                raise DatabaseError(f"{self.path / CORPUS_FILE}: missing or empty")
            meta = (data.get("meta") or {}).get("1") or dict(self.meta)
            with no_gc():
                old = decode_corpus(data)
                old_claims = list(old.claims)
            by_id = {a.id: a for a in old.articles}
            claims_by_article: dict[str, list[Claim]] = {}
            for c in old_claims:
                claims_by_article.setdefault(c.article_id, []).append(c)
            new = changed = unchanged = 0
            seen: set[str] = set()
            for article in articles:
                if article.id in seen:
                    continue
                seen.add(article.id)
                before = by_id.get(article.id)
                if before is not None and before.digest == article.digest:
                    unchanged += 1
                    continue
                if before is None:
                    new += 1
                else:
                    changed += 1
                by_id[article.id] = article
                claims_by_article[article.id] = list(claims.get(article.id, ()))
            old_ids = {c.id for c in old_claims}
            if new == 0 and changed == 0:
                orphaned = self._orphans(old_ids)
                return IngestResult(0, 0, unchanged, 0, 0, len(old_claims), tuple(orphaned))
            all_claims = [c for cs in claims_by_article.values() for c in cs if c.article_id in by_id]
            arts, cls_ = sort_corpus(list(by_id.values()), all_claims)
            linkage = link_corpus(arts, cls_)
            meta = dict(meta)
            meta["updated"] = utc_now()
            meta["ingests"] = int(meta.get("ingests", 0)) + 1
            write_corpus(self.path, meta, arts, cls_, linkage, self.file_mode)
        new_ids = {c.id for c in cls_}
        orphaned = self._orphans(new_ids)
        return IngestResult(
            articles_new=new,
            articles_changed=changed,
            articles_unchanged=unchanged,
            claims_added=len(new_ids - old_ids),
            claims_removed=len(old_ids - new_ids),
            claims_total=len(cls_),
            orphaned=tuple(orphaned),
        )

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
        return f"j-{i:03d}"

    def _shard_file(self, i: int) -> Path:
        return self.path / JUDGEMENTS_DIR / f"{self._shard_name(i)}.json"

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
                file = self.path / JUDGEMENTS_DIR / name
                out += self._values_in(file, self._read(file))
        return new, out

    def _values_in(self, file: Path, data: dict[str, Any] | None, reviewer: str | None = None) -> list[Judgement]:
        """The judgements (current values) of one parsed shard; a malformed row is one error line."""
        if not data:
            return []
        try:
            return judgements_from_rows((data.get(JUDGEMENTS_TABLE) or {}).values(), reviewer)
        except (KeyError, TypeError, AttributeError) as exc:
            raise DatabaseError(f"{file}: a malformed judgement row ({exc!r}); `claimdesk doctor` checks it") from None

    def _shard_rows(self, i: int) -> list[dict[str, Any]]:
        data = self._read(self._shard_file(i))
        if not data:
            return []
        return [row for row in (data.get(JUDGEMENTS_TABLE) or {}).values() if isinstance(row, dict)]

    def judgements(self, reviewer: str | None = None, *, history: bool = False) -> list[Judgement]:
        """Every judgement (of `reviewer`, if given), shard by shard. With history=False (what the
        screen, export, stats and agreement need) `Judgement.history` is None and no log is read."""
        out: list[Judgement] = []
        with no_gc(after="promote"):
            for i in range(self.shards):
                if history:
                    out += self._with_history(i, self._shard_rows(i), reviewer)
                    continue
                file = self._shard_file(i)
                out += self._values_in(file, self._read(file), reviewer)
        return out

    def _with_history(self, i: int, rows: list[dict[str, Any]], reviewer: str | None = None) -> list[Judgement]:
        """Judgements of shard `i`'s rows (read first), their histories from the shard's log."""
        rows = [r for r in rows if reviewer is None or r.get("reviewer") == reviewer]
        if not rows:
            return []
        log = history_log.read(self._log_file(i)) if any("history" not in r for r in rows) else None
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
        reviewer = clean_text(reviewer)
        claim_id = clean_text(claim_id)
        if not reviewer:
            raise DatabaseError(f"{self.path}: a judgement needs a reviewer name")
        if status is not None and status and status not in STATUSES:
            raise DatabaseError(f"{self.path}: unknown status {status!r} (one of {', '.join(STATUSES)})")
        if note is not None:
            note = clean_text(note, keep_newlines=True)
        if action != "untag":
            self._check_claim(claim_id)
        i = shard_of(claim_id, self.shards)
        file = self._shard_file(i)
        with self._locked(self._shard_name(i)):
            # read-modify-write of the shard under its lock, re-read fresh each time: the doc id
            # of a new row is computed from what is on disk now (no cached TinyDB `_next_id`)
            data = self._read(file) or {}
            table = data.setdefault(JUDGEMENTS_TABLE, {})
            key = next(
                (k for k, d in table.items() if d.get("claim_id") == claim_id and d.get("reviewer") == reviewer),
                None,
            )
            lines = split_history(table)  # rows still holding their history (a schema-3 backup put back)
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
            change = Change(now, reviewer, new_status, new_note, action)
            lines.append(history_log.encode_line(claim_id, reviewer, n, change))
            try:
                history_log.append(self._log_file(i), lines, self.file_mode)
            except OSError as exc:
                raise DatabaseError(f"{self._log_file(i)}: cannot write ({exc.strerror or exc}); nothing was changed") from None
            if key is None:
                key = str(max((int(k) for k in table), default=0) + 1)
            table[key] = judgement_to_row(judgement, n)
            _write(file, data, self.file_mode)
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


def split_history(table: dict[str, Any]) -> list[bytes]:
    """Rows of a shard table that hold their own history (schema 2 and 3) become schema-4 rows,
    in place; returns their changes as history-log lines, to append before the table is written
    (re-stating a change the log has already holds it twice: the later line wins, same value)."""
    lines: list[bytes] = []
    for key, row in table.items():
        if not isinstance(row, dict) or "history" not in row:
            continue
        j = judgement_from_row(row)
        changes = j.history or ()
        for n, change in enumerate(changes, start=1):
            lines.append(history_log.encode_line(j.claim_id, j.reviewer, n, change))
        table[key] = judgement_to_row(j, len(changes))
    return lines



class _Lock:
    """A FileLock that says so on stderr when it waits too long, retries, then raises LockTimeout."""

    def __init__(self, path: Path, mode: int, timeout: float = LOCK_TIMEOUT, attempts: int = LOCK_ATTEMPTS):
        self.path = path
        self.timeout = timeout
        self.attempts = max(1, attempts)
        self.lock = filelock.FileLock(
            str(path), timeout=timeout, mode=mode, poll_interval=LOCK_POLL, preserve_lock_file=True
        )

    def __enter__(self) -> "_Lock":
        for attempt in range(1, self.attempts + 1):
            try:
                self.lock.acquire()
                return self
            except filelock.Timeout:
                print(
                    f"claimdesk: {self.path}: still locked by another claimdesk after {self.timeout:g} s "
                    f"(attempt {attempt}/{self.attempts}{'; retrying' if attempt < self.attempts else ''})",
                    file=sys.stderr,
                    flush=True,
                )
        raise LockTimeout(
            f"{self.path}: locked by another process for {self.timeout * self.attempts:g} s; nothing was written"
        )

    def __exit__(self, *exc: object) -> None:
        self.lock.release()


def _write(file: Path, data: Any, mode: int, *, backup: bool = True) -> None:
    """Atomic write; a failing disk (full, read-only, no permission) becomes one DatabaseError line."""
    try:
        write_json_atomic(file, data, mode=mode, backup=backup)
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
