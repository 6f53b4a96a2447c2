"""Fetching web pages and feeds like a polite, robust client (httpx).

    fetcher = Fetcher(FetchSettings(max_bytes=5_000_000))
    page = fetcher.fetch(url)                       # a `Page`, or FetchError with a one-line reason
    results = fetcher.fetch_many(urls, progress)    # {url: Page | FetchError}, in parallel

* Timeouts: connect and read (per chunk) separately, plus a whole-page deadline (a server dripping bytes
  cannot hold a run forever).
* Redirects followed by hand, at most `max_redirects`, http(s) only; a redirect back to a URL already seen
  is a "redirect loop".
* A size cap: a Content-Length over it is refused before reading; a body is read in chunks and dropped the
  moment it passes the cap ("too large").
* Content types: HTML (and XHTML), plain text and Markdown, and RSS/Atom/XML feeds; anything else is "not
  HTML (image/png)".
* User-Agent ``claimdesk/<version> (+news claim review; httpx/<version>)``, the version read from the
  installed package metadata.
* At most `per_host` requests at once to one host, `workers` in all.
* The environment's proxy settings (``HTTPS_PROXY``, ``NO_PROXY``) and CA bundle (``SSL_CERT_FILE``) apply.
* Timeouts, dropped connections, 429 and 5xx are retried `retries` times with exponential backoff
  (`backoff`, doubled each time); 4xx and everything else fail at once.
* Every failure is a `FetchError` whose message names the reason in a few words: DNS lookup failed,
  connection refused, timed out, TLS error, HTTP 404 Not Found, not HTML, too large, redirect loop ...
"""

from __future__ import annotations

import threading
import time
from collections.abc import Callable, Iterable
from concurrent.futures import ThreadPoolExecutor, as_completed
from dataclasses import dataclass
from datetime import datetime, timezone
from http import HTTPStatus
from typing import TYPE_CHECKING
from urllib.parse import urljoin, urlsplit

from claimdesk.extract.model import Page

if TYPE_CHECKING:
    import httpx

__all__ = ["FetchError", "FetchSettings", "Fetcher", "user_agent", "ACCEPTED_TYPES"]

ACCEPTED_TYPES = (
    "text/html", "application/xhtml+xml", "text/plain", "text/markdown", "text/x-markdown",
    "application/rss+xml", "application/atom+xml", "application/rdf+xml", "application/feed+xml",
    "application/xml", "text/xml",
)
_RETRY_STATUS = frozenset({429, 500, 502, 503, 504})


class FetchError(Exception):
    """A URL that could not be fetched; str() is the reason, one line."""


@dataclass(frozen=True)
class FetchSettings:
    connect_timeout: float = 10.0
    read_timeout: float = 20.0
    page_deadline: float = 60.0  # the whole page, all chunks
    max_redirects: int = 5
    max_bytes: int = 5_000_000
    per_host: int = 2
    workers: int = 6
    retries: int = 2
    backoff: float = 1.0  # seconds before the first retry; doubled for each next one


def user_agent() -> str:
    from importlib import metadata

    import httpx

    try:
        version = metadata.version("claimdesk")
    except metadata.PackageNotFoundError:  # running from a checkout that was never installed
        version = "0+unknown"
    return f"claimdesk/{version} (+news claim review; httpx/{httpx.__version__})"


class Fetcher:
    def __init__(self, settings: FetchSettings = FetchSettings(), *, transport: httpx.BaseTransport | None = None):
        import httpx  # imported here: it takes most of a second, and most ingests fetch nothing

        self.settings = settings
        timeout = httpx.Timeout(settings.read_timeout, connect=settings.connect_timeout)
        limits = httpx.Limits(max_connections=max(settings.workers, 1) * 2, max_keepalive_connections=settings.workers)
        self._client = httpx.Client(
            timeout=timeout,
            limits=limits,
            follow_redirects=False,  # followed by hand: a bound, loops and schemes checked
            headers={
                "User-Agent": user_agent(),
                "Accept": "text/html,application/xhtml+xml,application/rss+xml,application/atom+xml,"
                          "application/xml;q=0.9,text/plain;q=0.8,*/*;q=0.1",
            },
            transport=transport,
            trust_env=True,  # the user's HTTP(S)_PROXY / NO_PROXY and SSL_CERT_FILE, as any well-behaved client
        )
        self._hosts: dict[str, threading.Semaphore] = {}
        self._hosts_lock = threading.Lock()

    def close(self) -> None:
        self._client.close()

    def __enter__(self) -> "Fetcher":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    # ------------------------------------------------------------------------------------------ many
    def fetch_many(self, urls: Iterable[str], progress: Callable[[int, int, str], None] | None = None
                   ) -> dict[str, Page | FetchError]:
        """Fetch every URL (each once), `workers` at a time and `per_host` per host; progress(done, total, url)."""
        todo = list(dict.fromkeys(urls))
        results: dict[str, Page | FetchError] = {}
        if not todo:
            return results
        with ThreadPoolExecutor(max_workers=max(1, min(self.settings.workers, len(todo)))) as pool:
            futures = {pool.submit(self._fetch_caught, url): url for url in todo}
            for done, future in enumerate(as_completed(futures), start=1):
                url = futures[future]
                results[url] = future.result()
                if progress:
                    progress(done, len(todo), url)
        return {url: results[url] for url in todo}

    def _fetch_caught(self, url: str) -> Page | FetchError:
        try:
            return self.fetch(url)
        except FetchError as exc:
            return exc

    # ------------------------------------------------------------------------------------------ one
    def fetch(self, url: str) -> Page:
        """The page at `url` (after redirects), or FetchError."""
        attempt = 0
        while True:
            try:
                return self._fetch_once(url)
            except _Retryable as exc:
                if attempt >= self.settings.retries:
                    raise FetchError(str(exc)) from None
                time.sleep(self.settings.backoff * (2 ** attempt))
                attempt += 1

    def _host_slot(self, url: str) -> threading.Semaphore:
        host = (urlsplit(url).hostname or "").lower()
        with self._hosts_lock:
            slot = self._hosts.get(host)
            if slot is None:
                slot = self._hosts[host] = threading.Semaphore(max(1, self.settings.per_host))
            return slot

    def _fetch_once(self, url: str) -> Page:
        seen = {url}
        current = url
        for _ in range(self.settings.max_redirects + 1):
            _check_url(current)
            with self._host_slot(current):
                status, headers, body, location = self._get(current)
            if location is None:
                return _page(url, current, status, headers, body)
            target = urljoin(current, location)
            if urlsplit(target).scheme not in ("http", "https"):
                raise FetchError(f"redirected to a non-web address ({urlsplit(target).scheme or 'none'}:)")
            if target in seen:
                raise FetchError("redirect loop")
            seen.add(target)
            current = target
        raise FetchError(f"too many redirects (more than {self.settings.max_redirects})")

    def _get(self, url: str) -> tuple[int, httpx.Headers, bytes, str | None]:
        import httpx

        limit = self.settings.max_bytes
        started = time.monotonic()
        try:
            with self._client.stream("GET", url) as response:
                status = response.status_code
                if response.is_redirect and response.headers.get("location"):
                    return status, response.headers, b"", response.headers["location"]
                if status in _RETRY_STATUS:
                    raise _Retryable(_status_text(status))
                if status >= 400:
                    raise FetchError(_status_text(status))
                ctype = _media_type(response.headers.get("content-type", ""))
                if ctype and ctype not in ACCEPTED_TYPES:
                    raise FetchError(f"not HTML (content type {ctype})")
                declared = response.headers.get("content-length", "")
                if declared.isdigit() and int(declared) > limit:
                    raise FetchError(f"too large: {int(declared):,} bytes (limit {limit:,})")
                chunks: list[bytes] = []
                size = 0
                for chunk in response.iter_bytes():  # decoded (gzip...): the cap holds for what we keep
                    size += len(chunk)
                    if size > limit:
                        raise FetchError(f"too large: over {limit:,} bytes (limit {limit:,})")
                    if time.monotonic() - started > self.settings.page_deadline:
                        raise _Retryable(f"timed out (the page took over {self.settings.page_deadline:g} s)")
                    chunks.append(chunk)
                return status, response.headers, b"".join(chunks), None
        except httpx.ConnectTimeout:
            raise _Retryable(f"timed out connecting (after {self.settings.connect_timeout:g} s)") from None
        except httpx.TimeoutException:
            raise _Retryable(f"timed out reading (no data for {self.settings.read_timeout:g} s)") from None
        except httpx.ConnectError as exc:
            raise FetchError(_connect_reason(exc)) from None
        except httpx.DecodingError:
            raise FetchError("damaged compressed body") from None
        except (httpx.RemoteProtocolError, httpx.ReadError) as exc:
            raise _Retryable(f"connection dropped ({_first_line(exc) or 'no response'})") from None
        except httpx.TooManyRedirects:  # pragma: no cover - redirects are followed by hand
            raise FetchError("too many redirects") from None
        except (httpx.InvalidURL, httpx.UnsupportedProtocol) as exc:
            raise FetchError(f"not a valid web address ({_first_line(exc)})") from None
        except httpx.HTTPError as exc:
            raise FetchError(f"request failed ({_first_line(exc) or type(exc).__name__})") from None


class _Retryable(Exception):
    """A failure worth another try (timeout, dropped connection, 429, 5xx)."""


def _check_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise FetchError("not a valid web address (http or https, with a host)")


def _page(url: str, final: str, status: int, headers: httpx.Headers, body: bytes) -> Page:
    raw_type = headers.get("content-type", "")
    charset = ""
    for param in raw_type.split(";")[1:]:
        key, _, value = param.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip("\"'")[:40]
    return Page(url=url, final_url=final, status=status, content_type=_media_type(raw_type), charset=charset,
                fetched_at=datetime.now(timezone.utc).strftime("%Y-%m-%dT%H:%M:%SZ"), body=body)


def _media_type(value: str) -> str:
    return value.split(";")[0].strip().lower()


def _status_text(status: int) -> str:
    try:
        phrase = HTTPStatus(status).phrase
    except ValueError:
        phrase = ""
    return f"HTTP {status} {phrase}".rstrip()


def _first_line(exc: BaseException) -> str:
    return (str(exc).strip().splitlines() or [""])[0][:160]


def _connect_reason(exc: BaseException) -> str:
    text = _first_line(exc)
    low = text.lower()
    if "ssl" in low or "certificate" in low or "tls" in low:
        return f"TLS error ({text})"
    if any(k in low for k in ("name or service not known", "nodename nor servname", "getaddrinfo",
                              "temporary failure in name resolution", "no address associated")):
        return "DNS lookup failed (no such host)"
    if "refused" in low:
        return "connection refused"
    return f"connection failed ({text or 'no route'})"
