"""The corpus' links, in a file of their own, read only when first asked for.

A 2,000-article corpus of one story carries ~430,000 links: three quarters of the corpus'
bytes, and most of its load time, yet the first review screen needs none of them. So (schema
3) they live in ``links-<generation>.json`` beside corpus.json, whose meta names the file::

    meta["links"] = {"file": "links-000007-1f2e3d4c.json", "generation": "000007-1f2e3d4c",
                     "count": 426848}

The file is one JSON object (not a TinyDB file: rows are positional lists, for speed)::

    {"format": "claimdesk-links", "generation": "000007-1f2e3d4c", "count": 426848,
     "ids": [claim ids...], "relations": ["supports", "conflicts"], "reasons": [distinct reasons],
     "claims": [claim, ...],
     "runs": ["[other, relation, reason, score, other, relation, reason, score, ...]", ...]}

claim / other index "ids", relation "relations", reason "reasons" (a corpus repeats a couple of
thousand reasons over its links). A run holds consecutive links of one claim (claims[k] is run
k's claim); the runs in order are the links in their original order (`Linkage.links`), so
nothing about order is lost. Each run is a JSON string, parsed when its claim's links are first
asked for: the file then parses in 0.03 s instead of 0.18 s (56,000 runs, 430,000 links).
Files of schema 3 (no "claims"; each run a list [claim, other, relation, ...]) read too.

A links file is written once and never changed (a new ingest writes a new generation):
ingest writes the links file first, then corpus.json (atomically) naming it, then removes the
links files that neither corpus.json nor corpus.json.bak name. A crash at any moment leaves a
corpus.json whose links file is there and whole (a stray unnamed links file at worst, which
the next ingest or `claimdesk doctor --restore` removes).

`LinkSource` opens the file when the corpus is read (so a later ingest deleting it cannot
pull it from under a long-lived reader), and parses it on first use: `load()` (call it in a
background thread to have the links warm), `links_of(claim_id)` (builds that claim's Link
objects only), or `links()` (every Link, in order).
"""

from __future__ import annotations

import secrets
import threading
from pathlib import Path
from typing import Any, BinaryIO, Iterable, Sequence

import orjson

from claimdesk.extract.model import Link, Linkage, Suggestion
from claimdesk.store.build import fast_builder
from claimdesk.store.files import CorruptFile, open_binary
from claimdesk.store.gc_pause import no_gc

LINKS_FORMAT = "claimdesk-links"
LINKS_PREFIX = "links-"
LINKS_SUFFIX = ".json"

_build_link = fast_builder(Link)


class LinksError(ValueError):
    """The links file is missing, corrupt or not the one corpus.json names."""

    def __init__(self, path: Path, reason: str):
        super().__init__(f"{path}: {reason}")
        self.path = path
        self.reason = reason


def new_generation(ingests: int) -> str:
    return f"{ingests:06d}-{secrets.token_hex(4)}"


def links_file_name(generation: str) -> str:
    return f"{LINKS_PREFIX}{generation}{LINKS_SUFFIX}"


def is_links_file(name: str) -> bool:
    return name.startswith(LINKS_PREFIX) and name.endswith(LINKS_SUFFIX)


def encode_links(links: Iterable[Link], generation: str) -> dict[str, Any]:
    """The links file's object for `links` (in their order)."""
    ids: dict[str, int] = {}
    relations: dict[str, int] = {}
    reasons: dict[str, int] = {}
    runs: list[list[Any]] = []
    run: list[Any] | None = None
    last = None
    count = 0

    def index(table: dict[str, int], value: str) -> int:
        i = table.get(value)
        if i is None:
            i = table[value] = len(table)
        return i

    claims: list[int] = []
    for link in links:
        count += 1
        if run is None or link.claim_id != last:
            last = link.claim_id
            claims.append(index(ids, link.claim_id))
            run = []
            runs.append(run)
        run += (index(ids, link.other_id), index(relations, link.relation), index(reasons, link.reason), link.score)
    return {
        "format": LINKS_FORMAT,
        "generation": generation,
        "count": count,
        "ids": list(ids),
        "relations": list(relations),
        "reasons": list(reasons),
        "claims": claims,
        "runs": [orjson.dumps(r).decode() for r in runs],
    }


def reencode_runs(data: dict[str, Any], generation: str) -> dict[str, Any]:
    """A parsed schema-3 links file (runs as lists, claim first) in today's layout (for the
    migration: no Link objects are built)."""
    runs = data["runs"]
    if isinstance(data.get("claims"), list):
        return dict(data, generation=generation)
    dumps = orjson.dumps
    return dict(
        data,
        generation=generation,
        claims=[run[0] for run in runs],
        runs=[dumps(run[1:]).decode() for run in runs],
    )


def encode_link_rows(rows: Iterable[dict[str, Any]], generation: str) -> dict[str, Any]:
    """`encode_links` straight from schema-2 `links` table rows (no Link objects: a migration
    of half a million links stays small)."""

    class _Row:  # the four attributes encode_links reads, over a row dict
        __slots__ = ("claim_id", "other_id", "relation", "reason", "score")

    def views() -> Iterable[Any]:
        view = _Row()
        for row in rows:
            if not isinstance(row, dict):
                raise TypeError("a links row that is not an object")
            view.claim_id = row["claim_id"]
            view.other_id = row["other_id"]
            view.relation = row["relation"]
            view.reason = row.get("reason", "")
            view.score = row.get("score", 0.0)
            yield view

    return encode_links(views(), generation)  # type: ignore[arg-type]


def links_from_rows(rows: Iterable[dict[str, Any]]) -> list[Link]:
    """Links from schema-2 `links` table rows (`as_dict` form)."""
    from claimdesk.extract.model import from_dict

    out = []
    for row in rows:
        if len(row) == 5:
            out.append(_build_link(row["claim_id"], row["other_id"], row["relation"], row["reason"], row["score"]))
        else:
            out.append(from_dict(Link, row))
    return out


def parse_links(raw: bytes, path: Path, generation: str | None) -> dict[str, Any]:
    """The links file's object, checked (format, generation, shape); LinksError otherwise."""
    if not raw.strip():
        raise LinksError(path, "empty")
    try:
        data = orjson.loads(raw)
    except orjson.JSONDecodeError as exc:
        raise LinksError(path, f"not valid JSON ({exc.args[0] if exc.args else exc})") from None
    if not isinstance(data, dict) or data.get("format") != LINKS_FORMAT:
        raise LinksError(path, "not a claimdesk links file")
    if generation is not None and data.get("generation") != generation:
        raise LinksError(path, f"generation {data.get('generation')!r}, but corpus.json names {generation!r}")
    for key in ("ids", "relations", "reasons", "runs"):
        if not isinstance(data.get(key), list):
            raise LinksError(path, f"no {key!r} list")
    claims = data.get("claims")
    if claims is not None and (not isinstance(claims, list) or len(claims) != len(data["runs"])):
        raise LinksError(path, "its 'claims' do not match its runs")
    return data


class LinkSource:
    """The links of one corpus: parsed on first use, Link objects built per claim on demand."""

    def __init__(
        self,
        path: Path | None = None,
        generation: str | None = None,
        *,
        links: Sequence[Link] | None = None,
        count: int | None = None,
    ):
        self.path = path
        self.generation = generation
        self.count = count
        self._lock = threading.Lock()
        self._fh: BinaryIO | None = None
        self._all: tuple[Link, ...] | None = None
        self._by_claim: dict[str, tuple[Link, ...]] = {}
        self._index: dict[str, Sequence[int]] | None = None
        self._runs: list[Any] = []  # JSON strings (or lists, schema 3)
        self._owners: list[int] = []  # run -> its claim's position in _ids
        self._first = 0  # where a run's links start (1 in schema 3: the claim came first)
        self._ids: list[str] = []
        self._relations: list[str] = []
        self._reasons: list[str] = []
        self._in_memory = links is not None
        self._error: LinksError | None = None  # a failed load fails the same way every time after
        if links is not None:  # already in memory (a schema-2 corpus, or built by hand)
            self._set_links(tuple(links))
        elif path is not None:
            try:  # open now: an ingest may replace the file later; we keep reading this one
                self._fh = open_binary(path)  # never through a link, only a regular file (store.files)
            except FileNotFoundError:
                raise LinksError(path, "missing") from None
            except CorruptFile as exc:
                raise LinksError(path, exc.reason) from None

    def _set_links(self, links: tuple[Link, ...]) -> None:
        by_claim: dict[str, list[Link]] = {}
        for link in links:
            by_claim.setdefault(link.claim_id, []).append(link)
        self._by_claim = {k: tuple(v) for k, v in by_claim.items()}
        self._all = links
        self._index = {}
        self.count = len(links)

    @property
    def loaded(self) -> bool:
        return self._index is not None

    def load(self) -> None:
        """Parse the links file (once; thread-safe). LinksError if it is missing or bad."""
        if self._index is not None:
            return
        with self._lock:
            if self._index is not None:
                return
            if self._error is not None:
                raise self._error
            assert self._fh is not None and self.path is not None
            try:
                self._fh.seek(0)
                raw = self._fh.read()
            finally:
                self._fh.close()
            try:
                with no_gc(after="freeze"):  # a schema-3 file's runs are ~50,000 lists: never scanned again
                    data = parse_links(raw, self.path, self.generation)
            except LinksError as exc:
                self._error = exc
                raise
            self._ids, self._relations, self._reasons = data["ids"], data["relations"], data["reasons"]
            self._runs = runs = data["runs"]
            ids = self._ids
            self._first = 0 if "claims" in data else 1  # where a run's links start
            try:
                owners = data.get("claims") or [run[0] for run in runs]
                names = list(map(ids.__getitem__, owners))
            except (IndexError, TypeError):
                raise LinksError(self.path, "malformed run") from None
            # claim -> positions of its runs; a claim has one run unless its links were not kept
            # together, so the one-run index is made at C speed and the general one only if needed
            index: dict[str, Sequence[int]] = dict(zip(names, zip(range(len(names)))))
            if len(index) != len(names):
                index = {}
                for k, name in enumerate(names):
                    index.setdefault(name, []).append(k)  # type: ignore[union-attr]
            self._owners = owners
            self.count = data.get("count", self.count)
            self._index = index

    def _run(self, k: int) -> list[Any]:
        run = self._runs[k]
        if type(run) is str:
            try:
                run = orjson.loads(run)
            except orjson.JSONDecodeError:
                raise LinksError(self.path, "malformed run") from None  # type: ignore[arg-type]
        return run

    def _build(self, claim_id: str) -> tuple[Link, ...]:
        ids, rels, reasons, build = self._ids, self._relations, self._reasons, _build_link
        out: list[Link] = []
        try:
            for k in self._index.get(claim_id, ()):  # type: ignore[union-attr]
                run = self._run(k)
                for i in range(self._first, len(run), 4):
                    out.append(build(claim_id, ids[run[i]], rels[run[i + 1]], reasons[run[i + 2]], run[i + 3]))
        except (IndexError, TypeError):
            raise LinksError(self.path, "malformed run") from None  # type: ignore[arg-type]
        return tuple(out)

    def links_of(self, claim_id: str) -> tuple[Link, ...]:
        got = self._by_claim.get(claim_id)
        if got is None:
            if self._in_memory:
                return ()
            self.load()
            got = self._by_claim[claim_id] = self._build(claim_id)
        return got

    def links(self) -> tuple[Link, ...]:
        """Every link, in the stored order."""
        if self._all is None:
            self.load()
            with self._lock, no_gc(after="freeze"):  # 400,000 Links at once: see no_gc
                if self._all is None:
                    out: list[Link] = []
                    seen: set[str] = set()
                    ids = self._ids
                    for owner in self._owners:
                        claim = ids[owner]
                        if claim in seen:
                            continue
                        seen.add(claim)
                        out.extend(self.links_of(claim))
                    # runs of one claim that are not consecutive: keep the stored order exactly
                    if len(seen) != len(self._runs):
                        out = []
                        for k, owner in enumerate(self._owners):
                            claim, run = ids[owner], self._run(k)
                            out.extend(
                                _build_link(claim, ids[run[i]], self._relations[run[i + 1]],
                                            self._reasons[run[i + 2]], run[i + 3])
                                for i in range(self._first, len(run), 4)
                            )
                    self._all = tuple(out)
        return self._all


class LazyLinkage(Linkage):
    """A `Linkage` whose `.links` are read from the links file on first access.

    `.families` and `.suggestions` are there at once; reading them loads nothing.
    """

    __slots__ = ("source",)

    def __init__(self, source: LinkSource, families: dict[str, str], suggestions: dict[str, Suggestion]):
        object.__setattr__(self, "source", source)
        object.__setattr__(self, "families", families)
        object.__setattr__(self, "suggestions", suggestions)

    @property  # type: ignore[override]
    def links(self) -> tuple[Link, ...]:
        return self.source.links()

    def __eq__(self, other: object) -> bool:
        if isinstance(other, Linkage):
            return (self.links, self.families, self.suggestions) == (other.links, other.families, other.suggestions)
        return NotImplemented

    def __repr__(self) -> str:
        state = "loaded" if self.source.loaded else "not loaded"
        return f"<LazyLinkage {len(self.families)} families, {len(self.suggestions)} suggestions, links {state}>"
