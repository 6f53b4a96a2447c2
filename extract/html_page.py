"""HTML articles (``.html``/``.htm`` files and fetched pages): the main text through trafilatura, the page's
metadata, and what was cut kept as removed boilerplate.

    read_html(html, ctx, *, url="") -> Article

* Text: `trafilatura.bare_extraction` (precision first, recall when that finds nothing), then the usual
  cleaning (`extract.clean`).
* Metadata (`page_meta`): outlet from ``og:site_name``, else the publisher in JSON-LD, else trafilatura's site
  name (the reader falls back to a "Source:" line, then the host without ``www.``); title; authors (JSON-LD,
  else ``<meta name="author">``, else trafilatura's); canonical URL (``<link rel="canonical">``, else
  ``og:url``); publication date through `htmldate` (the original date from the markup, never guessed from
  years in the text), normalised to ISO 8601 by the reader with the page's own spelling kept.
* Page chrome: every text block of the page (a paragraph, list item, heading, button ... in document order)
  that is not part of the extracted article - navigation, cookie banners, "Related" boxes, paywall teasers,
  footers - is kept as a `Removed` with reason "page chrome", so `b` shows what was cut.
* Character references to control characters (``&#7;``, ``&#x1b;``) are dropped before parsing, as raw control
  characters are: they never make a page unreadable.
"""

from __future__ import annotations

import dataclasses
import json
import re

from claimdesk.extract.clean import clean_lines, split_lines
from claimdesk.extract.dates import normalise_date
from claimdesk.extract.document import Meta, ReadContext, Refused, make_article
from claimdesk.extract.model import Article, Removed
from claimdesk.extract.sanitize import drop_control_references, sanitize

__all__ = ["read_html", "page_meta", "page_blocks", "PAGE_CHROME"]

PAGE_CHROME = "page chrome"
_MAX_CHROME = 400  # blocks kept per page (a huge menu is still one page's chrome, not a database's worth)
_MAX_BLOCK = 500  # characters kept per block
_BLOCK_TAGS = frozenset(
    "address article aside blockquote body br button dd details div dl dt fieldset figcaption figure footer form "
    "h1 h2 h3 h4 h5 h6 header hr label legend li main nav ol option p pre section select summary table td th "
    "tr ul".split()
)
_SKIP_TAGS = frozenset("script style noscript template head svg iframe object canvas".split())
_WS = re.compile(r"\s+")
_MIN_WORDS = 5  # an article has at least one line this long below its title


def _norm(s: str) -> str:
    return _WS.sub(" ", s).strip().casefold()


# ---------------------------------------------------------------------------------------------- metadata
def page_meta(tree) -> Meta:
    """Outlet, authors, canonical URL and date the page's markup states (any may be "")."""
    metas: dict[str, str] = {}
    for el in tree.iter("meta"):
        key = (el.get("property") or el.get("name") or "").strip().lower()
        if key and key not in metas and el.get("content"):
            metas[key] = el.get("content") or ""
    canonical = ""
    for el in tree.iter("link"):
        if "canonical" in (el.get("rel") or "").lower().split() and el.get("href"):
            canonical = el.get("href") or ""
            break
    publisher, ld_authors, ld_date = _json_ld(tree)
    authors = ld_authors or tuple(a for a in re.split(r"\s*[;,]\s*|\s+and\s+", metas.get("author", "")) if a)
    return Meta(
        outlet=metas.get("og:site_name") or publisher,
        url=canonical or metas.get("og:url", ""),
        published=ld_date or metas.get("article:published_time", ""),
        authors=authors,
        canonical_url=canonical or metas.get("og:url", ""),
    )


def _json_ld(tree) -> tuple[str, tuple[str, ...], str]:
    """(publisher name, author names, datePublished) from the page's JSON-LD (the first article-like object)."""
    for el in tree.iter("script"):
        if (el.get("type") or "").strip().lower() != "application/ld+json" or not el.text:
            continue
        try:
            data = json.loads(el.text)
        except (ValueError, RecursionError):
            continue
        for obj in _ld_objects(data):
            publisher = _ld_name(obj.get("publisher"))
            authors = obj.get("author")
            names = tuple(n for n in (_ld_name(a) for a in (authors if isinstance(authors, list) else [authors])) if n)
            date = obj.get("datePublished")
            if publisher or names or isinstance(date, str):
                return publisher, names, date if isinstance(date, str) else ""
    return "", (), ""


def _ld_objects(data, depth: int = 0):
    if depth > 4:
        return
    if isinstance(data, list):
        for item in data[:50]:
            yield from _ld_objects(item, depth + 1)
    elif isinstance(data, dict):
        if "@graph" in data:
            yield from _ld_objects(data["@graph"], depth + 1)
        kind = data.get("@type")
        kinds = kind if isinstance(kind, list) else [kind]
        if any(isinstance(k, str) and ("Article" in k or k in ("WebPage", "BlogPosting", "Report")) for k in kinds):
            yield data


def _ld_name(value) -> str:
    if isinstance(value, str):
        return value
    if isinstance(value, dict) and isinstance(value.get("name"), str):
        return value["name"]
    return ""


# ---------------------------------------------------------------------------------------------- blocks
def page_blocks(tree) -> list[tuple[int, str]]:
    """(source line, text) of every visible text block of the page, in document order."""
    body = tree.find(".//body")
    root = body if body is not None else tree
    blocks: list[tuple[int, str]] = []
    buf: list[str] = []
    line = [getattr(root, "sourceline", 0) or 0]

    def flush() -> None:
        text = _WS.sub(" ", "".join(buf)).strip()
        if text:
            blocks.append((line[0], text))
        buf.clear()

    def walk(el) -> None:
        tag = el.tag if isinstance(el.tag, str) else ""
        if tag.lower() in _SKIP_TAGS or not tag:
            if el.tail:
                buf.append(el.tail)
            return
        block = tag.lower() in _BLOCK_TAGS
        if block:
            flush()
            line[0] = el.sourceline or line[0]
        if el.text:
            if not buf:
                line[0] = el.sourceline or line[0]
            buf.append(el.text)
        for child in el:
            walk(child)
        if block:
            flush()
        if el.tail:
            buf.append(el.tail)

    walk(root)
    flush()
    return blocks


def _chrome(blocks: list[tuple[int, str]], text: str, removed: tuple[Removed, ...]) -> list[Removed]:
    """The page's blocks that are in neither the article text nor its removed lines, as "page chrome"."""
    folded = _norm(text)
    known = {_norm(r.text) for r in removed}
    out: list[Removed] = []
    pending: list[tuple[int, str]] = []
    pos = 0
    for no, block in blocks:
        key = _norm(block)
        if key in known:
            continue
        at = folded.find(key, pos) if key else -1
        if at < 0:
            at = folded.find(key)
        if at >= 0 and len(key) >= 3:  # part of the article: the chrome before it stood here
            offset = _offset_of(text, at)
            out.extend(Removed(t[:_MAX_BLOCK], PAGE_CHROME, n, offset) for n, t in pending)
            pending.clear()
            pos = at + len(key)
        else:
            pending.append((no, block))
    out.extend(Removed(t[:_MAX_BLOCK], PAGE_CHROME, n, len(text)) for n, t in pending)
    return out[:_MAX_CHROME]


def _offset_of(text: str, folded_at: int) -> int:
    """The offset in `text` of position `folded_at` of its whitespace-collapsed, case-folded form, moved to the
    start of the line it falls in."""
    # casefold keeps lengths for nearly all text; whitespace runs are single "\n" or " " in cleaned text
    at = min(folded_at, len(text))
    start = text.rfind("\n", 0, at) + 1
    return start


# ---------------------------------------------------------------------------------------------- reader
def read_html(html: str, ctx: ReadContext, *, url: str = "") -> Article:
    """The article of an HTML page (see the module doc); `url` is where it was fetched from, if it was."""
    import lxml.html  # trafilatura's parser too
    import trafilatura  # imported here: loading it costs time and plain-text users never need it
    from htmldate import find_date
    from trafilatura.settings import set_date_params

    html = drop_control_references(html)
    try:
        tree = lxml.html.document_fromstring(html)
    except (ValueError, lxml.etree.ParserError):
        raise Refused("no main text found in the HTML") from None
    doc = None
    for recall in (False, True):
        try:
            doc = trafilatura.bare_extraction(
                html,
                url=url or None,
                with_metadata=True,
                include_comments=False,
                include_tables=False,
                favor_recall=recall,
                # dates from the page's markup only: no guessing from years mentioned in the text
                date_extraction_params={**set_date_params(extensive=False), "url": url or None},
            )
        except Exception:  # trafilatura raises various parse errors on broken markup
            doc = None
        if doc is not None and (doc.text or "").strip():
            break
    if doc is None or not (doc.text or "").strip():
        raise Refused("no main text found in the HTML")
    cleaned = clean_lines(split_lines(sanitize(doc.text)), title=doc.title or "")
    body = cleaned.text.split("\n")[1:]
    if not cleaned.kept or not any(len(line.split()) >= _MIN_WORDS for line in body):
        raise Refused("no main text found in the HTML")  # a menu or a title alone is no article
    meta = page_meta(tree)
    try:
        date = find_date(tree, extensive_search=False, original_date=True, url=url or None) or ""
    except Exception:  # htmldate raises on some malformed dates and trees
        date = ""
    authors = meta.authors or tuple(a.strip() for a in (doc.author or "").split(";") if a.strip())
    meta = Meta(
        outlet=meta.outlet or doc.sitename or "",
        url=url or meta.url or doc.url or "",
        # htmldate's original date; the page's own spelling of it kept when the markup states the same day
        published=meta.published if date and normalise_date(meta.published) == date else (
            date or meta.published or doc.date or ""),
        authors=authors,
        canonical_url=meta.canonical_url or (doc.url if doc.url and doc.url != url else ""),
    )
    try:
        chrome = _chrome(page_blocks(tree), cleaned.text, cleaned.removed)
    except RecursionError:  # markup nested deeper than Python recurses: the article without its chrome
        chrome = []
    if chrome:
        removed = tuple(sorted(cleaned.removed + tuple(chrome), key=lambda r: (r.offset, r.line)))
        cleaned = dataclasses.replace(cleaned, removed=removed)
    return make_article(ctx, cleaned, meta)
