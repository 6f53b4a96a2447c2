"""The corpus as read (`Corpus`) and corpus.json encoded and decoded (without the links file:
`store.links`; claims: `store.claim_rows`; suggestions: `store.suggestion_table`)."""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from collections.abc import Sequence
from typing import Any

from claimdesk.extract.model import Article, Claim, Link, Linkage, Removed, Suggestion, as_dict, from_dict
from claimdesk.store.build import fast_builder
from claimdesk.store.claim_rows import LazyClaims, SharedValues, _shared_objects, encode_claims
from claimdesk.store.corpus_tables import rows_of as _rows, table_of as _table
from claimdesk.store.errors import DatabaseError
from claimdesk.store.layout import CORPUS_FILE
from claimdesk.store.links import LazyLinkage, LinkSource, LinksError, is_links_file, links_from_rows
from claimdesk.store.suggestion_table import decode_suggestions, encode_suggestions


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
            name = str(info.get("file"))
            if not is_links_file(name) or "/" in name or name != Path(name).name:  # never outside the folder
                raise DatabaseError(f"{where}: names a links file {name[:80]!r} that is not one (a file of this folder)")
            source = LinkSource(folder / name, str(info.get("generation")), count=info.get("count"))
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
