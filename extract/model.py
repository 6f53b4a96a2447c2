"""The data classes of claimdesk: every article, claim, link and suggestion is one of these.

They live here and nowhere else. `store` persists them (through `as_dict`/`from_dict`),
`tui` shows them. All are frozen: a pipeline stage makes new objects, it never edits old ones.

Offsets are always into `Article.text`, the *cleaned* text, so that
``article.text[claim.start:claim.end] == claim.text`` holds for every claim.
"""

from __future__ import annotations

import dataclasses
import hashlib
from dataclasses import dataclass, field
from typing import Any, Literal

STATUSES: tuple[str, ...] = ("corroborated", "disputed", "unsourced")
CLAIM_KINDS: tuple[str, ...] = ("statistic", "quote", "event", "statement")


def stable_id(prefix: str, *parts: str, length: int = 12) -> str:
    """A short id that depends only on `parts` (same input, same id, on any machine)."""
    digest = hashlib.sha1("\x1f".join(parts).encode("utf-8")).hexdigest()
    return f"{prefix}{digest[:length]}"


@dataclass(frozen=True, slots=True)
class Removed:
    """A piece of scrape noise cut out of an article by cleaning, kept so the reviewer can see it."""

    text: str
    reason: str  # one of extract.clean.REASONS: navigation, byline, dateline, caption, teaser, filler, ...
    line: int  # 1-based line number in the raw input
    offset: int  # where it stood in the cleaned text (the offset of the next kept character)


@dataclass(frozen=True, slots=True)
class Article:
    id: str
    source: str  # input path relative to the folder given to ingest ("feed.jsonl:3" for a JSONL line)
    outlet: str
    title: str
    text: str  # cleaned text; paragraphs separated by "\n"; the title is its first line
    url: str = ""
    published: str = ""  # ISO 8601: "2025-04-03", "2025-04" or "--04-03" (year unknown); "" when unknown
    digest: str = ""  # sha1 of the cleaned text: tells a changed article from an unchanged one
    removed: tuple[Removed, ...] = ()
    warnings: tuple[str, ...] = ()  # e.g. "not valid UTF-8: decoded with replacement"
    # page metadata (added in schema 4's corpus as optional keys: an older database reads as empty)
    published_raw: str = ""  # the date as the input wrote it ("14/03/2024", "Apr 3"), when it had one
    authors: tuple[str, ...] = ()
    canonical_url: str = ""  # the page's own <link rel="canonical"> / og:url, when it differs or not


@dataclass(frozen=True, slots=True)
class Quantity:
    """A number in a claim, normalised. `start`/`end` are offsets into the article text."""

    text: str  # as written: "160,000", "1.5 million", "18-30", "3%"
    start: int
    end: int
    value: float  # 160000.0, 1500000.0, 3.0; for a range, its low end
    high: float | None = None  # a range's high end ("ages 18 to 30": value 18, high 30)
    unit: str = ""  # "%", "km", "mile", "$", "year" (ages) ... "" for a plain count
    approx: bool = False  # "about", "nearly", "over", "more than", "at least"


@dataclass(frozen=True, slots=True)
class DateRef:
    """A date or time expression, normalised to ISO where it can be ("2025-04-01", "--04-01", "2011", "2024-08")."""

    text: str
    start: int
    end: int
    value: str  # ISO-like normal form; "" when it cannot be normalised ("Tuesday")
    since: bool = False  # "since 2011"


@dataclass(frozen=True, slots=True)
class Entity:
    text: str
    label: str  # spaCy label: PERSON, ORG, GPE, NORP, ...
    norm: str  # lower-cased canonical form used for matching ("vladimir putin" -> "putin")


@dataclass(frozen=True, slots=True)
class Attribution:
    """Whom the article credits with a claim."""

    name: str  # "TASS", "Zelenskyy", "unnamed reports", or "" for none
    kind: Literal["named", "unnamed", "none"] = "none"
    cue: str = ""  # the words that attribute: "according to Russian state media outlet TASS"

    @property
    def label(self) -> str:
        return self.name if self.kind != "none" else ""


NO_ATTRIBUTION = Attribution("", "none", "")


@dataclass(frozen=True, slots=True)
class Claim:
    id: str
    article_id: str
    start: int
    end: int
    text: str
    kind: str  # one of CLAIM_KINDS
    attribution: Attribution = NO_ATTRIBUTION
    quantities: tuple[Quantity, ...] = ()
    dates: tuple[DateRef, ...] = ()
    entities: tuple[Entity, ...] = ()
    lemmas: tuple[str, ...] = ()  # content lemmas (lower-case, no stop words), for the link index
    title_offices: tuple[tuple[str, str], ...] = ()  # (person norm, office as written: "former president")


@dataclass(frozen=True, slots=True)
class Link:
    """`claim_id` is supported or contradicted by `other_id`, a claim of another article."""

    claim_id: str
    other_id: str
    relation: str  # "supports" | "conflicts"
    reason: str  # one line a reviewer can check: "160,000 vs 150,000 (conscripts)"
    score: float = 0.0


@dataclass(frozen=True, slots=True)
class Suggestion:
    claim_id: str
    status: str  # one of STATUSES, or "" (single source but attributed)
    reason: str


@dataclass(frozen=True, slots=True)
class Linkage:
    """All that linking finds over a corpus."""

    links: tuple[Link, ...] = ()
    families: dict[str, str] = field(default_factory=dict)  # article id -> source family id
    suggestions: dict[str, Suggestion] = field(default_factory=dict)  # claim id -> suggestion


# ---------------------------------------------------------------- (de)serialisation
# Plain dicts with JSON types only, for the store. Nested data classes are rebuilt by type.

_NESTED: dict[type, dict[str, type]] = {
    Article: {"removed": Removed},
    Claim: {"attribution": Attribution, "quantities": Quantity, "dates": DateRef, "entities": Entity},
}


def as_dict(obj: Any) -> dict[str, Any]:
    """A data class as a JSON-ready dict (tuples become lists)."""
    return dataclasses.asdict(obj)


def from_dict(cls: type, data: dict[str, Any]) -> Any:
    """Rebuild `cls` from `as_dict` output; unknown keys are ignored, missing ones take defaults."""
    nested = _NESTED.get(cls, {})
    names = {f.name for f in dataclasses.fields(cls)}
    kwargs: dict[str, Any] = {}
    for key, value in data.items():
        if key not in names:
            continue
        sub = nested.get(key)
        if sub is not None:
            if isinstance(value, list):
                value = tuple(from_dict(sub, v) for v in value)
            elif isinstance(value, dict):
                value = from_dict(sub, value)
        elif isinstance(value, list):
            value = tuple(tuple(v) if isinstance(v, list) else v for v in value)
        kwargs[key] = value
    return cls(**kwargs)


@dataclass(frozen=True, slots=True)
class InputProblem:
    """Something wrong with one input. Fatal: the file (or JSONL line) is refused; else a warning."""

    source: str  # the path as the user gave it, or "feed.jsonl:7" for a line
    reason: str
    fatal: bool = True

    def __str__(self) -> str:
        return f"{self.source}: {self.reason}"


@dataclass(frozen=True, slots=True)
class Page:
    """A fetched web page (or feed), as the network gave it: kept in the database folder so that
    re-ingesting and reviewing never need the network again."""

    url: str  # as asked for
    final_url: str  # after redirects
    status: int  # HTTP status of the final response
    content_type: str  # "text/html", "application/rss+xml" ... (no parameters)
    charset: str  # from the Content-Type header, "" when it gave none
    fetched_at: str  # ISO 8601 UTC, "2026-11-30T03:56:01Z"
    body: bytes
