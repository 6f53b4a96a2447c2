"""Ingesting from the web: the fetcher, feeds, the page cache, page metadata and the `ingest URL...` command.

Every test talks to its own HTTP server on 127.0.0.1 (tests/web_server.py); nothing here touches any other
network (the refused-connection case uses a closed local port, the TLS case speaks https to the plain server).
"""

from __future__ import annotations

import json
import os
import socket
import stat
from importlib import metadata
from pathlib import Path

import pytest
from web_server import serve

from claimdesk.extract.model import Article, InputProblem
from claimdesk.store.database import Database
from claimdesk.store.pages import PageCache, PageCacheError
from claimdesk.tui.cli import main
from claimdesk.tui.fetch import FetchError, Fetcher, FetchSettings
from claimdesk.tui.web import WebOptions, WebReader, read_url_list

FAST = FetchSettings(connect_timeout=1.0, read_timeout=0.5, retries=1, backoff=0.01, max_bytes=200_000)


@pytest.fixture
def site(monkeypatch):
    monkeypatch.setenv("NO_PROXY", "127.0.0.1")  # a proxy set in the environment must not see the test server
    monkeypatch.setenv("no_proxy", "127.0.0.1")
    with serve() as s:
        yield s


def _read(urls, *, cache=None, **options):
    reader = WebReader(WebOptions(settings=options.pop("settings", FAST), **options), cache)
    items = list(reader.read(urls))
    return items, reader


def _problems(items) -> dict[str, str]:
    return {i.source: i.reason for i in items if isinstance(i, InputProblem)}


def _articles(items) -> dict[str, Article]:
    return {i.source: i for i in items if isinstance(i, Article)}


def _closed_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


# ------------------------------------------------------------------------------------------ the fetcher
def test_fetch_names_claimdesk_and_its_version_and_follows_a_redirect(site):
    with Fetcher(FAST) as fetcher:
        page = fetcher.fetch(site.url("/moved"))
    assert (page.url, page.final_url, page.status, page.content_type, page.charset) == (
        site.url("/moved"), site.url("/story.html"), 200, "text/html", "utf-8")
    assert b"Putin calls up 160,000 men" in page.body and page.fetched_at.endswith("Z")
    assert set(site.agents) == {f"claimdesk/{metadata.version('claimdesk')} (+news claim review; "
                                f"httpx/{__import__('httpx').__version__})"}


@pytest.mark.parametrize("path, reason", [
    ("/loop-a", "redirect loop"),
    ("/chain/0", "too many redirects (more than 5)"),
    ("/to-ftp", "redirected to a non-web address (ftp:)"),
    ("/nowhere.html", "HTTP 404 Not Found"),
    ("/image.png", "not HTML (content type image/png)"),
    ("/big.html", "too large: 600,026 bytes (limit 200,000)"),
    ("/big-chunked.html", "too large: over 200,000 bytes (limit 200,000)"),
    ("/slow.html", "timed out reading (no data for 0.5 s)"),
    ("/error500", "HTTP 500 Internal Server Error"),
])
def test_each_failure_is_one_named_reason(site, path, reason):
    with Fetcher(FAST) as fetcher, pytest.raises(FetchError) as caught:
        fetcher.fetch(site.url(path))
    assert str(caught.value) == reason


def test_timeouts_and_5xx_are_retried_then_given_up_4xx_never(site):
    with Fetcher(FAST) as fetcher:
        page = fetcher.fetch(site.url("/flaky.html"))  # 503 once, then the page
        for path in ("/error500", "/slow.html", "/nowhere.html"):
            with pytest.raises(FetchError):
                fetcher.fetch(site.url(path))
    assert page.status == 200 and site.hits["/flaky.html"] == 2
    assert (site.hits["/error500"], site.hits["/slow.html"], site.hits["/nowhere.html"]) == (2, 2, 1)


def test_connection_refused_and_tls_error_are_named(site):
    with Fetcher(FAST) as fetcher:
        with pytest.raises(FetchError, match="^connection refused$"):
            fetcher.fetch(f"http://127.0.0.1:{_closed_port()}/story.html")
        with pytest.raises(FetchError, match=r"^TLS error \("):
            fetcher.fetch(f"https://127.0.0.1:{site.port}/story.html")  # https to a plain-HTTP server


def test_parallel_requests_to_one_host_are_bounded_and_progress_counts(site):
    urls = [site.url(f"/busy/{i}") for i in range(6)]
    seen: list[tuple[int, int]] = []
    with Fetcher(FetchSettings(per_host=2, workers=6, retries=0)) as fetcher:
        results = fetcher.fetch_many(urls + urls[:2], lambda done, total, url: seen.append((done, total)))
    assert list(results) == urls and all(r.status == 200 for r in results.values())
    assert 1 <= site.max_in_flight <= 2
    assert seen == [(n, 6) for n in range(1, 7)]


# ------------------------------------------------------------------------------------------ pages and feeds
def test_page_metadata_outlet_authors_canonical_and_iso_date_with_the_original(site):
    items, _ = _read([site.url("/story.html"), site.url("/second.html")])
    assert _problems(items) == {}
    story, second = _articles(items).values()
    assert (story.outlet, story.title, story.authors) == (
        "The Kyiv Ledger", "Putin calls up 160,000 men in spring draft", ("Olena Petrenko", "Taras Bondar"))
    assert (story.url, story.canonical_url) == (site.url("/story.html"), "https://kyivledger.example/world/putin-draft")
    assert (story.published, story.published_raw) == ("2025-04-01", "2025-04-01T09:30:00+03:00")
    # no og:site_name: the JSON-LD publisher; a date in another form, normalised
    assert (second.outlet, second.authors) == ("Northern Wire", ("Anna Lind",))
    assert (second.published, second.published_raw) == ("2025-04-01", "Tue, 1 Apr 2025 10:00:00 +0200")
    assert second.canonical_url == "https://www.northernwire.example/europe/2025/04/01/kremlin-call-up"


def test_what_the_extractor_cut_is_kept_as_page_chrome(site):
    items, _ = _read([site.url("/story.html")])
    (story,) = _articles(items).values()
    chrome = [r.text for r in story.removed if r.reason == "page chrome"]
    for cut in ("We use cookies to improve your experience. By continuing you accept our cookie policy.",
                "Accept all", "Skip to content", "Politics", "Finland to leave the Ottawa Convention on landmines",
                "Subscribe to read the full story. Already a subscriber? Log in.", "Most read",
                "© 2025 The Kyiv Ledger. All rights reserved."):
        assert cut in chrome and cut not in story.text
    assert "The defence ministry said the call-up was routine" in story.text
    assert all(0 <= r.offset <= len(story.text) for r in story.removed)


def test_feed_items_are_ingested_up_to_the_limit_and_a_missing_item_is_named(site):
    items, reader = _read([site.url("/feed.xml")])
    assert list(_articles(items)) == [site.url("/story.html"), site.url("/second.html")]
    assert _problems(items) == {site.url("/missing.html"): "HTTP 404 Not Found"}
    assert [p.url for p in reader.fetched] == [site.url("/feed.xml"), site.url("/story.html"), site.url("/second.html")]
    items, _ = _read([site.url("/feed.xml")], limit=1)
    assert list(_articles(items)) == [site.url("/story.html")] and _problems(items) == {}
    items, _ = _read([site.url("/atom.xml")])
    assert list(_articles(items)) == [site.url("/story.html")]


def test_a_feed_file_lists_pages_too(site, tmp_path):
    feed = tmp_path / "world.rss"
    feed.write_text(f"<rss version='2.0'><channel><title>W</title><item><title>S</title><link>{site.url('/story.html')}"
                    "</link></item></channel></rss>", encoding="utf-8")
    reader = WebReader(WebOptions(settings=FAST), None)
    items = list(reader.read([], [str(feed)]))
    assert [a.outlet for a in items] == ["The Kyiv Ledger"]


def test_bad_feeds_and_pages_without_text_are_refused_by_name(site):
    items, _ = _read([site.url(p) for p in ("/bad-feed.xml", "/empty-feed.xml", "/nav-only.html")])
    assert _problems(items) == {
        site.url("/bad-feed.xml"): "invalid XML (mismatched tag)",
        site.url("/empty-feed.xml"): "a feed with no items",
        site.url("/nav-only.html"): "no main text found in the HTML",
    }


def test_charset_header_control_references_and_markdown_pages(site):
    items, _ = _read([site.url("/latin.html"), site.url("/control-refs.html"), site.url("/notes.md")])
    assert _problems(items) == {}
    latin, refs, notes = _articles(items).values()
    assert latin.title == "Café owners protest" and "– announced in March –" in latin.text and not latin.warnings
    assert "fewer than the[31m figure" in refs.text and "\x1b" not in refs.text and "\x07" not in refs.text
    assert (notes.title, notes.outlet) == ("Draft figures", "127.0.0.1")
    assert "The ministry said 160,000 men would be called up by July 15." in notes.text


def test_url_list_file_skips_comments_and_names_bad_lines(tmp_path):
    listing = tmp_path / "urls.txt"
    listing.write_text("# today's story\nhttps://a.example/1  # first\n\nnot a url\nhttp://b.example/2\n", encoding="utf-8")
    urls, problems = read_url_list(str(listing))
    assert urls == ["https://a.example/1", "http://b.example/2"]
    assert [str(p) for p in problems] == [f"{listing}:4: not an http or https URL: not a url"]
    assert [str(p) for p in read_url_list(str(tmp_path / "none.txt"))[1]] == [
        f"{tmp_path / 'none.txt'}: no such file or directory"]


# ------------------------------------------------------------------------------------------ page cache
def test_page_cache_is_content_addressed_private_and_refuses_links(site, tmp_path):
    with Fetcher(FAST) as fetcher:
        page = fetcher.fetch(site.url("/moved"))
    cache = PageCache(tmp_path)
    cache.put(page)
    again = cache.get(site.url("/moved"))
    assert again == page
    files = sorted(p.name for p in (tmp_path / "pages").iterdir())
    body = __import__("hashlib").sha256(page.body).hexdigest()
    assert body in files and len(files) == 2
    for name in files:
        assert stat.S_IMODE((tmp_path / "pages" / name).stat().st_mode) == 0o600
    record = json.loads(next((tmp_path / "pages").glob("u-*.json")).read_text())
    assert (record["final_url"], record["status"], record["sha256"]) == (site.url("/story.html"), 200, body)
    # a body changed on disk counts as missing; a planted symlink is refused, never followed
    (tmp_path / "pages" / body).write_bytes(b"tampered")
    assert cache.get(site.url("/moved")) is None
    secret = tmp_path / "secret"
    secret.write_text("private")
    (tmp_path / "pages" / body).unlink()
    (tmp_path / "pages" / body).symlink_to(secret)
    with pytest.raises(PageCacheError, match=r"/pages/[0-9a-f]{64}: a symbolic link \(not followed\); refused$"):
        cache.get(site.url("/moved"))
    cache.put(page)  # replaces the link itself
    assert secret.read_text() == "private" and not (tmp_path / "pages" / body).is_symlink()
    (tmp_path / "pages" / body).unlink()
    os.mkfifo(tmp_path / "pages" / body)  # a FIFO would hang a plain open: refused at once
    with pytest.raises(PageCacheError, match=r": a FIFO, not a regular file; refused$"):
        cache.get(site.url("/moved"))


def test_offline_reads_only_the_cache(site, tmp_path):
    cache = PageCache(tmp_path)
    items, reader = _read([site.url("/story.html")], cache=cache)
    for page in reader.fetched:
        cache.put(page)
    hits = sum(site.hits.values())
    items2, _ = _read([site.url("/story.html"), site.url("/second.html")], cache=cache, offline=True)
    assert sum(site.hits.values()) == hits  # no request at all
    assert _articles(items2)[site.url("/story.html")] == _articles(items)[site.url("/story.html")]
    assert _problems(items2) == {site.url("/second.html"): "not in the page cache (--offline: no network)"}


# ------------------------------------------------------------------------------------------ the command
def test_ingest_urls_feeds_then_again_offline_and_refresh(site, tmp_path, nlp, capsys):
    db = tmp_path / "db"
    listing = tmp_path / "urls.txt"
    listing.write_text(f"# the ledger\n{site.url('/story.html')}\n", encoding="utf-8")
    code = main(["ingest", site.url("/feed.xml"), "--urls", str(listing), "--limit", "3", "--db", str(db), "--quiet"])
    out, err = capsys.readouterr()
    assert code == 0, err
    assert err.strip() == f"claimdesk: refused: {site.url('/missing.html')}: HTTP 404 Not Found"
    assert "refused" in out and "1 (1 URL)" in out
    arts = {a.source: a for a in Database.open(db).corpus().articles}
    assert set(arts) == {site.url("/story.html"), site.url("/second.html")}
    assert arts[site.url("/second.html")].published == "2025-04-01"
    pages = list((db / "pages").iterdir())
    assert len([p for p in pages if p.name.startswith("u-")]) == 3  # the feed and its two pages (not the 404)
    for p in pages:
        assert stat.S_IMODE(p.stat().st_mode) == 0o600
    hits = sum(site.hits.values())
    assert main(["ingest", site.url("/feed.xml"), "--db", str(db), "--offline", "--quiet"]) == 0
    assert sum(site.hits.values()) == hits
    # the page changes: --refresh fetches it again and it is a changed article
    site.pages["/story.html"] = (200, "text/html", (Path(__file__).parent / "fixtures" / "web" / "ledger_story.html")
                                 .read_bytes().replace(b"160,000 men aged", b"170,000 men aged"))
    capsys.readouterr()
    assert main(["ingest", site.url("/story.html"), "--db", str(db), "--refresh", "--quiet"]) == 0
    assert "1 changed" in capsys.readouterr().out
    assert "170,000 men aged" in Database.open(db).corpus().article(arts[site.url("/story.html")].id).text


def test_failed_ingest_creates_no_database_and_strict_fails_on_any_refusal(tmp_path, nlp, capsys):
    db = tmp_path / "db"
    assert main(["ingest", str(tmp_path / "missing.txt"), "--db", str(db)]) == 1
    assert not db.exists()
    assert capsys.readouterr().err.splitlines() == [
        f"claimdesk: refused: {tmp_path / 'missing.txt'}: no such file or directory",
        f"claimdesk: nothing ingested: 1 input(s) refused; no database created at {db}"]
    good = tmp_path / "good.txt"
    good.write_text("Title of the story\nThe ministry said 160,000 men would be called up by July 15.\n")
    assert main(["ingest", str(good), str(tmp_path / "missing.txt"), "--db", str(db), "--quiet"]) == 0
    assert main(["ingest", str(good), str(tmp_path / "missing.txt"), "--db", str(db), "--quiet", "--strict"]) == 1


def test_offline_with_an_uncached_url_refuses_it_and_makes_nothing(tmp_path, capsys):
    db = tmp_path / "db"
    assert main(["ingest", "https://example.org/story.html", "--offline", "--db", str(db)]) == 1
    assert capsys.readouterr().err.splitlines()[0] == (
        "claimdesk: refused: https://example.org/story.html: not in the page cache (--offline: no network)")
    assert not db.exists()


@pytest.mark.parametrize("args, message", [
    (["--processes", "0"], "argument --processes: must be from 1 to 64 (got 0)"),
    (["--processes", "1000"], "argument --processes: must be from 1 to 64 (got 1,000)"),
    (["--max-bytes", "-5"], "argument --max-bytes: must be from 1 to 1,000,000,000 (got -5)"),
    (["--limit", "0"], "argument --limit: must be 1 or more (got 0)"),
])
def test_option_values_are_range_checked(tmp_path, capsys, args, message):
    with pytest.raises(SystemExit) as caught:
        main(["ingest", str(tmp_path), *args])
    assert caught.value.code == 2 and capsys.readouterr().err.strip().endswith(message)


def test_a_feed_items_date_is_used_when_its_page_gives_none(site):
    body = "".join(f"<p>The ministry said on Monday that {n} more men would be called up for service by July 15.</p>"
                   for n in ("160,000", "10,000", "5,000"))
    site.pages["/undated.html"] = (200, "text/html", f"<html><body><article><h1>Call-up</h1>{body}</article></body></html>"
                                   .encode())
    site.pages["/dated.xml"] = (200, "application/rss+xml", (
        "<rss version='2.0'><channel><title>W</title><item><title>Call-up</title>"
        f"<link>{site.url('/undated.html')}</link><pubDate>Wed, 02 Apr 2025 08:00:00 GMT</pubDate></item>"
        "</channel></rss>").encode())
    items, _ = _read([site.url("/dated.xml")])
    (article,) = _articles(items).values()
    assert (article.published, article.published_raw) == ("2025-04-02", "Wed, 02 Apr 2025 08:00:00 GMT")
    items, _ = _read([site.url("/undated.html")])  # the same page on its own: no date at all
    assert _articles(items)[site.url("/undated.html")].published == ""


def test_dns_failure_is_named_without_asking_any_resolver():
    import httpx

    from claimdesk.tui import fetch

    def resolve_nothing(request):  # what httpx raises when the system resolver knows no such host
        raise httpx.ConnectError("[Errno -2] Name or service not known", request=request)

    with fetch.Fetcher(FAST, transport=httpx.MockTransport(resolve_nothing)) as fetcher:
        with pytest.raises(FetchError, match=r"^DNS lookup failed \(no such host\)$"):
            fetcher.fetch("https://no-such-host.invalid/story.html")


def test_page_cache_of_a_group_shared_database_is_group_readable(tmp_path):
    from claimdesk.extract.model import Page

    cache = PageCache(tmp_path, group_shared=True)
    page = Page(url="https://a.example/1", final_url="https://a.example/1", status=200, content_type="text/html",
                charset="", fetched_at="2026-11-30T04:00:00Z", body=b"<html><body><p>x</p></body></html>")
    cache.put(page)
    folder = tmp_path / "pages"
    assert stat.S_IMODE(folder.stat().st_mode) == 0o2770
    assert {stat.S_IMODE(p.stat().st_mode) for p in folder.iterdir()} == {0o660}
    assert cache.get("https://a.example/1") == page and cache.get("https://a.example/2") is None
