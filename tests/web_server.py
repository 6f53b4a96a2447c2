"""A small HTTP server on 127.0.0.1 (never another address) for the ingest tests: realistic news pages, a
feed, and the bad cases a fetcher meets - slow, oversized, redirects, loops, errors, wrong content types.

    with serve() as site:
        site.url("/story.html")      # "http://127.0.0.1:PORT/story.html"
        site.hits["/flaky.html"]     # how many requests a path got
        site.agents                  # User-Agent of every request
        site.max_in_flight           # the most requests served at once
"""

from __future__ import annotations

import contextlib
import threading
import time
from collections import Counter
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

WEB = Path(__file__).resolve().parent / "fixtures" / "web"
HTML = "text/html; charset=utf-8"


def _rss(site: "Site") -> bytes:
    items = "".join(
        f"<item><title>{title}</title><link>{site.url(path)}</link><pubDate>{date}</pubDate></item>"
        for title, path, date in [
            ("Putin calls up 160,000 men", "/story.html", "Tue, 01 Apr 2025 09:30:00 GMT"),
            ("Kremlin orders 150,000 conscripts", "/second.html", "Tue, 01 Apr 2025 10:00:00 GMT"),
            ("Gone", "/missing.html", "Tue, 01 Apr 2025 11:00:00 GMT"),
        ]
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>World news</title>'
            f"<link>{site.url('/')}</link><description>World</description>{items}</channel></rss>").encode()


ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Ledger</title><id>urn:x</id><updated>2025-04-01T00:00:00Z</updated>
<entry><title>Story</title><id>urn:1</id><link href="/story.html"/><updated>2025-04-01T00:00:00Z</updated></entry>
</feed>"""


class Site:
    def __init__(self) -> None:
        self.hits: Counter = Counter()
        self.agents: list[str] = []
        self.in_flight = 0
        self.max_in_flight = 0
        self.lock = threading.Lock()
        self.port = 0
        self.pages: dict[str, tuple[int, str, bytes]] = {}  # path -> (status, content type, body), settable

    def url(self, path: str) -> str:
        return f"http://127.0.0.1:{self.port}{path}"


def _handler(site: Site):
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def log_message(self, *args) -> None:  # quiet
            pass

        def handle(self) -> None:
            try:
                super().handle()
            except (ConnectionResetError, BrokenPipeError):  # a client that gave up (the TLS test, timeouts)
                pass

        def _send(self, status: int, ctype: str, body: bytes, extra: dict | None = None) -> None:
            self.send_response(status)
            self.send_header("Content-Type", ctype)
            self.send_header("Content-Length", str(len(body)))
            for k, v in (extra or {}).items():
                self.send_header(k, v)
            self.end_headers()
            self.wfile.write(body)

        def do_GET(self) -> None:  # noqa: C901 - one route table
            path = self.path.split("?")[0]
            with site.lock:
                site.hits[path] += 1
                site.agents.append(self.headers.get("User-Agent", ""))
                site.in_flight += 1
                site.max_in_flight = max(site.max_in_flight, site.in_flight)
            try:
                self._route(path)
            except (BrokenPipeError, ConnectionResetError):
                pass
            finally:
                with site.lock:
                    site.in_flight -= 1

        def _route(self, path: str) -> None:
            if path in site.pages:
                status, ctype, body = site.pages[path]
                self._send(status, ctype, body)
            elif path == "/story.html":
                self._send(200, HTML, (WEB / "ledger_story.html").read_bytes())
            elif path == "/second.html":
                self._send(200, HTML, (WEB / "second_story.html").read_bytes())
            elif path.startswith("/busy/"):  # a normal page that takes a moment: for the per-host bound
                time.sleep(0.3)
                self._send(200, HTML, (WEB / "ledger_story.html").read_bytes())
            elif path == "/feed.xml":
                self._send(200, "application/rss+xml", _rss(site))
            elif path == "/atom.xml":
                self._send(200, "application/atom+xml", ATOM)
            elif path == "/bad-feed.xml":
                self._send(200, "application/rss+xml", b"<rss version='2.0'><channel><item><title>x</item></rss>")
            elif path == "/empty-feed.xml":
                self._send(200, "application/rss+xml",
                           b"<rss version='2.0'><channel><title>Nothing</title></channel></rss>")
            elif path == "/slow.html":
                time.sleep(3)
                self._send(200, HTML, b"<html><body><p>too late</p></body></html>")
            elif path == "/big.html":
                self._send(200, HTML, b"<html><body>" + b"<p>word </p>" * 50_000 + b"</body></html>")
            elif path == "/big-chunked.html":  # no Content-Length: the cap must hold while reading
                self.send_response(200)
                self.send_header("Content-Type", HTML)
                self.send_header("Transfer-Encoding", "chunked")
                self.end_headers()
                chunk = b"<p>" + b"x" * 8000 + b"</p>"
                for _ in range(100):
                    self.wfile.write(f"{len(chunk):x}\r\n".encode() + chunk + b"\r\n")
                self.wfile.write(b"0\r\n\r\n")
            elif path == "/moved":
                self._send(301, HTML, b"", {"Location": "/story.html"})
            elif path == "/loop-a":
                self._send(302, HTML, b"", {"Location": "/loop-b"})
            elif path == "/loop-b":
                self._send(302, HTML, b"", {"Location": "/loop-a"})
            elif path.startswith("/chain/"):
                n = int(path.rsplit("/", 1)[1])
                self._send(302, HTML, b"", {"Location": f"/chain/{n + 1}"})
            elif path == "/to-ftp":
                self._send(302, HTML, b"", {"Location": "ftp://127.0.0.1/file"})
            elif path == "/error500":
                self._send(500, "text/plain", b"boom")
            elif path == "/flaky.html":  # fails once, then works: a retry gets it
                if site.hits[path] == 1:
                    self._send(503, "text/plain", b"try later")
                else:
                    self._send(200, HTML, (WEB / "second_story.html").read_bytes())
            elif path == "/image.png":
                self._send(200, "image/png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 100)
            elif path == "/nav-only.html":
                self._send(200, HTML, b"<html><body><nav><a href='/'>Home</a> <a href='/x'>World</a></nav></body></html>")
            elif path == "/notes.md":
                self._send(200, "text/markdown; charset=utf-8",
                           b"# Draft figures\n\nThe ministry said **160,000** men would be called up by July 15.\n\n"
                           b"Officials said the draft was the largest since 2011.\n")
            elif path == "/latin.html":
                body = ("<html><head><title>Caf\u00e9</title></head><body><article><h1>Caf\u00e9 owners protest</h1>"
                        + "<p>The caf\u00e9 owners in Moscow said on Monday that the new rules \u2013 announced "
                        "in March \u2013 would close half of them, according to the association.</p>" * 4
                        + "</article></body></html>").encode("cp1252")
                self._send(200, "text/html; charset=windows-1252", body)
            elif path == "/control-refs.html":
                self._send(200, HTML, (WEB / "second_story.html").read_bytes().replace(
                    b"fewer than the figure", b"fewer&#7; than the&#27;[31m figure"))
            else:
                self._send(404, "text/html", b"<html><body>Not found</body></html>")

    return Handler


@contextlib.contextmanager
def serve():
    site = Site()
    server = ThreadingHTTPServer(("127.0.0.1", 0), _handler(site))
    server.daemon_threads = True
    server.handle_error = lambda request, address: None  # a dropped client is part of the tests, not news
    site.port = server.server_address[1]
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        yield site
    finally:
        server.shutdown()
        server.server_close()
