"""One article out of one input: the context a format reader works in, and the `Article` it makes.

Every format (text, Markdown, HTML, JSONL) ends here: `make_article` picks the outlet, normalises the
date to ISO 8601 (the original kept), cleans every metadata field for the terminal and gives the id.

Outlet, in order: the metadata's (JSONL field, HTML `og:site_name` / JSON-LD publisher, front matter), a
trailing "Source: X" line, the URL's host without ``www.``, the file name when it reads as a name, else a
short label made from the title ("Putin Calls Up Record…") - never a hash-like file name such as
``002_a89c721e5a84b66e``.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass, field
from urllib.parse import urlsplit

from claimdesk.extract.clean import Cleaned
from claimdesk.extract.dates import normalise_date
from claimdesk.extract.model import Article, stable_id
from claimdesk.extract.sanitize import sanitize, sanitize_line

__all__ = ["Refused", "ReadContext", "make_article", "host_of", "label_from", "one_line"]


class Refused(Exception):
    """An input (file, page or JSONL line) that cannot be read: its message is the problem's reason."""


@dataclass
class ReadContext:
    display: str  # the path or URL as the user gave it (for problems)
    source: str  # relative path or URL (for Article.source)
    stem: str  # the file name without extension ("" for a URL)
    warnings: list[str] = field(default_factory=list)
    url: str = ""  # where a fetched document came from (after redirects)
    date: str = ""  # a date known from outside the document (a feed item's), used when it gives none


@dataclass(frozen=True)
class Meta:
    """What a page's metadata says (every field optional)."""

    outlet: str = ""
    url: str = ""
    published: str = ""
    authors: tuple[str, ...] = ()
    canonical_url: str = ""


def one_line(s: str) -> str:
    return sanitize(s).replace("\n", " ")


def make_article(ctx: ReadContext, cleaned: Cleaned, meta: Meta = Meta(), *, key: str | None = None) -> Article:
    """The `Article` for `cleaned` text read in `ctx` (refused when nothing but noise is left)."""
    if not cleaned.kept:
        raise Refused("nothing left after cleaning (all lines were noise)" if cleaned.removed else "no text")
    url = sanitize_line(meta.url) or cleaned.url or sanitize_line(ctx.url)
    outlet = (sanitize_line(meta.outlet) or cleaned.outlet or host_of(url)
              or label_from(ctx.stem, cleaned.title))
    raw_date = sanitize_line(meta.published)
    if raw_date:
        published = normalise_date(raw_date)
    else:  # a "Published: ..." or dateline line of the text itself, else what the feed said
        raw_date, published = cleaned.published_raw, cleaned.published
        if not raw_date and ctx.date:
            raw_date = sanitize_line(ctx.date)
            published = normalise_date(raw_date)
    if raw_date and not published:
        ctx.warnings.append(f"date not understood: {raw_date!r} (kept as given)")
    authors = tuple(dict.fromkeys(a for a in (sanitize_line(x) for x in meta.authors) if a))
    return Article(
        id=stable_id("a", key if key is not None else ctx.source),
        source=one_line(ctx.source),
        outlet=outlet,
        title=cleaned.title,
        text=cleaned.text,
        url=url,
        published=published,
        digest=hashlib.sha1(cleaned.text.encode("utf-8")).hexdigest(),
        removed=cleaned.removed,
        warnings=tuple(ctx.warnings),
        published_raw=raw_date if raw_date != published else "",
        authors=authors,
        canonical_url=sanitize_line(meta.canonical_url),
    )


def host_of(url: str) -> str:
    """The host of `url` without ``www.`` ("" when there is none)."""
    if not url:
        return ""
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


# a machine-made name part: a hash or id (8+ hex digits, or a long run of digits)
_MACHINE = re.compile(r"(?<![a-z])[0-9a-f]{8,}(?![a-z])|\d{5,}", re.IGNORECASE)
_LABEL_CHARS = 30


def label_from(stem: str, title: str) -> str:
    """A readable label for an input that names no outlet: its file name when that reads as a name (letters
    left once hash-like parts are taken out), else the first words of its title."""
    name = sanitize_line(stem)
    readable = _MACHINE.sub(" ", name)
    if readable == name and name:
        return name
    if sum(c.isalpha() for c in readable) >= 3:
        return re.sub(r"[\s_.-]+", " ", readable).strip()
    words = sanitize_line(title).split()
    label = ""
    for word in words:
        if label and len(label) + 1 + len(word) > _LABEL_CHARS:
            return label.rstrip(",;:") + "…"
        label = f"{label} {word}" if label else word
    return label or name
