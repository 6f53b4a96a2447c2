"""Articles from the web: URLs, lists of URLs and news feeds, through the page cache and the fetcher.

    reader = WebReader(WebOptions(limit=10), cache=PageCache(db_folder))
    for item in reader.read(["https://example.org/story", "https://example.org/feed.xml"], feed_files=[]):
        ...                                  # Article | InputProblem, in the order given
    reader.fetched                           # the pages fetched this run, for the caller to keep

* A URL is read from the page cache when it is there (no network), else fetched (`tui.fetch`); `refresh`
  fetches again; `offline` never touches the network (a URL not in the cache is refused, named).
* A feed (RSS/Atom: by content type or root element; a ``.rss``/``.atom``/``.xml`` file given directly)
  ingests its items' pages, at most `limit` per feed.
* A page becomes an article through `extract.readers.read_document` (HTML, Markdown or plain text by its
  content type); its source and id are the URL as given, its `url` the final one after redirects.
* Every failure is one `InputProblem` naming the URL (or file) and the reason; the rest goes on.
"""

from __future__ import annotations

import os
import stat
from collections.abc import Callable, Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit, urlunsplit

from claimdesk.extract.feed import FeedError, feed_items, looks_like_feed
from claimdesk.extract.model import Article, InputProblem, Page
from claimdesk.extract.readers import read_document
from claimdesk.extract.sanitize import sanitize_line
from claimdesk.store.pages import PageCache, PageCacheError
from claimdesk.tui.fetch import FetchError, Fetcher, FetchSettings

__all__ = ["WebOptions", "WebReader", "is_url", "read_url_list", "FEED_SUFFIXES"]

FEED_SUFFIXES = (".rss", ".atom", ".xml")
OFFLINE = "not in the page cache (--offline: no network)"

Progress = Callable[[int, int, str], None]


def is_url(text: str) -> bool:
    """Is `text` an http(s) URL (rather than a file path)?"""
    parts = urlsplit(text.strip())
    return parts.scheme.lower() in ("http", "https") and bool(parts.netloc)


def normalise_url(url: str) -> str:
    """The URL as an article's key: trimmed, no fragment, scheme and host in lower case."""
    parts = urlsplit(url.strip())
    return urlunsplit((parts.scheme.lower(), parts.netloc.lower(), parts.path or "/", parts.query, ""))


def read_url_list(path: str, *, max_bytes: int = 5_000_000) -> tuple[list[str], list[InputProblem]]:
    """The URLs of a `--urls` file: one a line, blank lines and ``#`` comments skipped; a line that is not an
    http(s) URL is a problem named "FILE:LINE"."""
    urls: list[str] = []
    problems: list[InputProblem] = []
    try:
        data = _read_small(Path(path), max_bytes)
    except OSError as exc:
        return [], [InputProblem(path, _os_reason(exc))]
    except ValueError as exc:
        return [], [InputProblem(path, str(exc))]
    text = data.decode("utf-8", errors="replace")
    for lineno, line in enumerate(text.splitlines(), start=1):
        entry = line.split("#", 1)[0].strip() if not line.lstrip().startswith("#") else ""
        if not entry:
            continue
        if is_url(entry):
            urls.append(entry)
        else:
            problems.append(InputProblem(f"{path}:{lineno}", f"not an http or https URL: {sanitize_line(entry)[:80]}"))
    if not urls and not problems:
        problems.append(InputProblem(path, "no URLs in the file"))
    return urls, problems


def _read_small(path: Path, limit: int) -> bytes:
    with open(path, "rb") as fh:
        if not stat.S_ISREG(os.fstat(fh.fileno()).st_mode):
            raise ValueError("not a regular file")
        data = fh.read(limit + 1)
    if len(data) > limit:
        raise ValueError(f"too large: over {limit:,} bytes (limit {limit:,})")
    return data


def _os_reason(exc: OSError) -> str:
    if isinstance(exc, FileNotFoundError):
        return "no such file or directory"
    return f"cannot read ({exc.strerror or exc})"


@dataclass
class WebOptions:
    offline: bool = False
    refresh: bool = False
    limit: int | None = None  # items per feed
    settings: FetchSettings = field(default_factory=FetchSettings)


class WebReader:
    def __init__(self, options: WebOptions, cache: PageCache | None, progress: Progress | None = None):
        self.options = options
        self.cache = cache
        self.progress = progress
        self.fetched: list[Page] = []  # new pages (2xx) fetched this run: the caller keeps them
        self._fetcher: Fetcher | None = None

    def close(self) -> None:
        if self._fetcher is not None:
            self._fetcher.close()
            self._fetcher = None

    # ------------------------------------------------------------------------------------------ reading
    def read(self, urls: Sequence[str], feed_files: Sequence[str] = ()) -> Iterator[Article | InputProblem]:
        try:
            yield from self._read(urls, feed_files)
        finally:
            self.close()

    def _read(self, urls: Sequence[str], feed_files: Sequence[str]) -> Iterator[Article | InputProblem]:
        given = list(dict.fromkeys(normalise_url(u) for u in urls))
        pages = self._obtain(given)
        documents: list[tuple[str, Page]] = []
        items: list[str] = []
        dates: dict[str, str] = {}  # item URL -> the date its feed gives
        for url in given:
            got = pages[url]
            if isinstance(got, str):
                yield InputProblem(url, got)
            elif looks_like_feed(got.content_type, got.body):
                try:
                    found = feed_items(got.body, base_url=got.final_url)
                except FeedError as exc:
                    yield InputProblem(url, str(exc))
                    continue
                items.extend(self._items(found, dates))
            else:
                documents.append((url, got))
        for path in feed_files:
            try:
                found = feed_items(_read_small(Path(path), self.options.settings.max_bytes))
            except (FeedError, ValueError) as exc:
                yield InputProblem(path, str(exc))
                continue
            except OSError as exc:
                yield InputProblem(path, _os_reason(exc))
                continue
            items.extend(self._items(found, dates))
        items = [u for u in dict.fromkeys(items) if u not in pages]
        item_pages = self._obtain(items)
        for url in items:
            got = item_pages[url]
            if isinstance(got, str):
                yield InputProblem(url, got)
            elif looks_like_feed(got.content_type, got.body):
                yield InputProblem(url, "a feed inside a feed (only article pages are read from a feed)")
            else:
                documents.append((url, got))
        for url, page in documents:
            yield from read_document(page.body, kind=_kind(page), source=url, display=url, url=page.final_url,
                                     charset=page.charset, date=dates.get(url, ""))

    def _items(self, found: list, dates: dict[str, str]) -> list[str]:
        urls = []
        for item in found[: self.options.limit]:
            url = normalise_url(item.url)
            dates.setdefault(url, item.published)
            urls.append(url)
        return urls

    def _obtain(self, urls: list[str]) -> dict[str, Page | str]:
        """Each URL's page, from the cache or the network; a string is the reason it failed."""
        got: dict[str, Page | str] = {}
        need: list[str] = []
        for url in urls:
            cached = None
            if self.cache is not None and not self.options.refresh:
                try:
                    cached = self.cache.get(url)
                except PageCacheError as exc:
                    got[url] = str(exc)
                    continue
            if cached is not None:
                got[url] = cached
            elif self.options.offline:
                got[url] = OFFLINE
            else:
                need.append(url)
        if need:
            if self._fetcher is None:
                self._fetcher = Fetcher(self.options.settings)
            for url, result in self._fetcher.fetch_many(need, self.progress).items():
                if isinstance(result, FetchError):
                    got[url] = str(result)
                else:
                    got[url] = result
                    self.fetched.append(result)
        return got


def _kind(page: Page) -> str:
    ctype = page.content_type
    if ctype in ("text/markdown", "text/x-markdown"):
        return "markdown"
    if ctype == "text/plain":
        return "text"
    return "html"
