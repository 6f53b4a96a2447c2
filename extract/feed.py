"""News feeds (RSS 0.9x/1.0/2.0, Atom): which article pages a feed lists, through `feedparser`.

    looks_like_feed(content_type, body) -> bool
    feed_items(body, *, base_url="") -> list[FeedItem]      # raises FeedError

Only the feed's bytes are read here (feedparser is given bytes, never a URL: it fetches nothing). Item
links are made absolute against `base_url`; only http and https links are kept, each once, in feed order.
An unreadable feed ("invalid XML: ...") or one with no item links raises `FeedError` with a one-line reason.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from urllib.parse import urljoin, urlsplit

from claimdesk.extract.sanitize import sanitize_line

__all__ = ["FeedError", "FeedItem", "feed_items", "looks_like_feed", "FEED_TYPES"]

FEED_TYPES = ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/xml", "text/xml",
              "application/feed+xml")
_FEED_START = re.compile(rb"^\s*(?:<\?xml[^>]*>\s*)?(?:<!--.*?-->\s*|<\?[^>]*>\s*)*<(?:rss|feed|rdf:RDF)\b",
                         re.DOTALL | re.IGNORECASE)


class FeedError(ValueError):
    """The feed cannot be used; the message is the reason."""


@dataclass(frozen=True)
class FeedItem:
    url: str
    title: str = ""
    published: str = ""  # as the feed gives it


def looks_like_feed(content_type: str, body: bytes) -> bool:
    """Is this a feed rather than a page? An RSS/Atom content type, or XML whose root is rss/feed/RDF."""
    ct = content_type.split(";")[0].strip().lower()
    if ct in ("application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml"):
        return True
    head = body[:4096].lstrip(b"\xef\xbb\xbf")
    return bool(_FEED_START.match(head))


def feed_items(body: bytes, *, base_url: str = "") -> list[FeedItem]:
    import feedparser

    parsed = feedparser.parse(body, sanitize_html=False, resolve_relative_uris=False)
    exc = parsed.get("bozo_exception") if parsed.bozo else None
    broken = exc is not None and "Encoding" not in type(exc).__name__  # a mislabelled charset is still read
    if not parsed.get("version") and not parsed.entries and not broken:
        raise FeedError("not a feed (no RSS or Atom root)")
    items: list[FeedItem] = []
    seen: set[str] = set()
    for entry in parsed.entries:
        link = entry.get("link") or ""
        if not link:
            for alt in entry.get("links", ()):
                if alt.get("rel", "alternate") == "alternate" and alt.get("href"):
                    link = alt["href"]
                    break
        url = sanitize_line(urljoin(base_url, link)) if link else ""
        if not url or urlsplit(url).scheme not in ("http", "https") or url in seen:
            continue
        seen.add(url)
        items.append(FeedItem(url=url, title=sanitize_line(entry.get("title", "") or ""),
                              published=sanitize_line(entry.get("published", "") or entry.get("updated", "") or "")))
    if not items:
        if broken:
            # the parser's position is off (feedparser rewrites the document first): the error alone
            what = re.sub(r"^<unknown>:\d+:\d+:\s*", "", sanitize_line(str(exc)))
            raise FeedError(f"invalid XML ({what[:120]})")
        raise FeedError("a feed with no items" if not parsed.entries else "a feed whose items have no http(s) links")
    return items
