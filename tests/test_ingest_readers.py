"""load_articles on the real samples, on each format, and on every kind of bad input (exact messages)."""

from __future__ import annotations

import hashlib
import json
import os
from pathlib import Path

from claimdesk.extract.model import Article, InputProblem, stable_id
from claimdesk.extract.readers import load_articles

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"
SUPPORTED = ".txt, .md, .markdown, .html, .htm or .jsonl"
BODY = "Russian President Vladimir Putin has signed a decree calling up 160,000 men aged 18 to 30, officials said."


def _load(*paths, **kw) -> list:
    return list(load_articles([Path(p) for p in paths], **kw))


def _messages(items) -> list[str]:
    return [str(i) for i in items if isinstance(i, InputProblem)]


def _articles(items) -> list[Article]:
    return [i for i in items if isinstance(i, Article)]


# ------------------------------------------------------------------------------------------ samples
def test_sample_folder_gives_five_articles_no_problems():
    items = _load(SAMPLE)
    assert _messages(items) == []
    arts = _articles(items)
    assert [a.source for a in arts] == sorted(p.name for p in SAMPLE.glob("*.txt"))
    for a in arts:
        assert a.id == stable_id("a", a.source)
        assert a.digest == hashlib.sha1(a.text.encode("utf-8")).hexdigest()
        assert a.text.split("\n")[0] == a.title
        assert a.warnings == () and a.url == ""


def test_sample_titles_and_outlets():
    arts = {a.source[:3]: a for a in _articles(_load(SAMPLE))}
    assert arts["000"].outlet == "CNN"
    # the other files name no outlet and their names are hash-like: a label from the title's first words
    assert [arts[name].outlet for name in ("001", "002", "003", "004")] == [
        "Russia has launched one of its…", "Putin Calls Up Record 160,000…", "Putin to conscript 160,000…",
        "Russian President Vladimir…"]
    assert arts["000"].title == "Putin Orders 160,000 Men to Join Russian Army Amid Crucial Phase of Ukraine War"
    assert arts["001"].title.startswith("Russia has launched one of its largest conscription drives in years")
    assert arts["002"].title == "Putin Calls Up Record 160,000 Conscripts as Russia Expands Military Amid Ukraine War"
    assert arts["003"].title == "Putin to conscript 160,000 more Russians for war with Ukraine"
    assert arts["004"].title.startswith("Russian President Vladimir Putin has signed a decree ordering the enlistment")
    assert [r.reason for r in arts["002"].removed] == [
        "navigation", "byline", "byline", "dateline", "reading-time", "caption", "caption", "navigation"]
    assert arts["002"].published == "--04-03"


def test_a_file_given_directly_has_its_name_as_source_and_the_same_id(tmp_path):
    one = next(SAMPLE.glob("003_*.txt"))
    (direct,) = _load(one)
    from_folder = [a for a in _articles(_load(SAMPLE)) if a.source == one.name][0]
    assert direct == from_folder


def test_nested_folders_sorted_hidden_skipped_other_types_ignored(tmp_path):
    (tmp_path / "b").mkdir()
    (tmp_path / "a").mkdir()
    (tmp_path / ".git").mkdir()
    (tmp_path / "b" / "z.txt").write_text("Zed title\n" + BODY)
    (tmp_path / "a" / "y.md").write_text("# Why title\n\n" + BODY)
    (tmp_path / "x.TXT").write_text("Ex title\n" + BODY)
    (tmp_path / ".hidden.txt").write_text("Hidden\n" + BODY)
    (tmp_path / ".git" / "c.txt").write_text("Git\n" + BODY)
    (tmp_path / "notes.pdf").write_bytes(b"%PDF-1.4")
    items = _load(tmp_path)
    assert _messages(items) == []
    assert [a.source for a in items] == ["a/y.md", "b/z.txt", "x.TXT"]
    assert [a.outlet for a in items] == ["y", "z", "x"]


# ------------------------------------------------------------------------------------------ formats
def test_jsonl_articles(tmp_path):
    feed = tmp_path / "feed.jsonl"
    rows = [
        {"title": "Putin calls up 160,000", "text": BODY + "\nRead more: Other story\n", "outlet": "Reuters",
         "url": "https://reuters.example/a", "published": "2025-04-01"},
        {"title": "No url here", "text": "No url here\n\n" + BODY},
        {"text": "Title from the text\n" + BODY + "\nSource: TASS"},
    ]
    feed.write_text("\n".join(json.dumps(r, ensure_ascii=False) for r in rows) + "\n\n", encoding="utf-8")
    items = _load(feed)
    assert _messages(items) == []
    a, b, c = items
    assert (a.source, a.id, a.outlet, a.url, a.published) == (
        "feed.jsonl:1", stable_id("a", "https://reuters.example/a"), "Reuters", "https://reuters.example/a",
        "2025-04-01")
    assert a.text == "Putin calls up 160,000\n" + BODY
    assert [(r.line, r.reason, r.text) for r in a.removed] == [(2, "teaser", "Read more: Other story")]
    assert (b.source, b.id, b.text, b.outlet) == ("feed.jsonl:2", stable_id("a", "No url here"),
                                                  "No url here\n" + BODY, "feed")
    assert (c.title, c.outlet, c.id) == ("Title from the text", "TASS", stable_id("a", "Title from the text"))


def test_jsonl_bad_lines_are_named_and_the_rest_goes_on(tmp_path):
    feed = tmp_path / "feed.jsonl"
    lines = [
        json.dumps({"title": "One", "text": BODY, "url": "https://x.example/1"}),
        '{"title": "Two" "text": "x"}',
        json.dumps({"title": "Three"}),
        json.dumps(["a", "list"]),
        json.dumps({"title": "Five", "text": 5}),
        json.dumps({"title": "Six", "text": "  \n "}),
        json.dumps({"title": "Seven", "text": "top of page\nbottom of page"}),
        json.dumps({"title": "Again", "text": BODY, "url": "https://x.example/1"}),
        json.dumps({"title": "Nine", "text": BODY, "url": "https://x.example/9"}),
    ]
    feed.write_text("\n".join(lines) + "\n", encoding="utf-8")
    items = _load(feed)
    assert _messages(items) == [
        f"{feed}:2: not valid JSON (Expecting ',' delimiter at column 17)",
        f"{feed}:3: missing 'text'",
        f"{feed}:4: not a JSON object (a list)",
        f"{feed}:5: 'text' is not a string (a number)",
        f"{feed}:6: empty 'text'",
        f"{feed}:7: nothing left after cleaning (all lines were noise)",
        f"{feed}:8: same url as line 1 (skipped)",
    ]
    assert [a.source for a in _articles(items)] == ["feed.jsonl:1", "feed.jsonl:9"]
    assert all(p.fatal for p in items if isinstance(p, InputProblem))
    # in order: problems and articles interleaved as the lines come
    assert [type(i).__name__ for i in items] == ["Article"] + ["InputProblem"] * 7 + ["Article"]


def test_jsonl_bom_and_bad_bytes_on_one_line(tmp_path):
    feed = tmp_path / "f.jsonl"
    good = json.dumps({"title": "T1", "text": BODY}).encode()
    bad = json.dumps({"title": "T2", "text": "caf_ " + BODY}).encode().replace(b"caf_", b"caf\xe9")
    feed.write_bytes(b"\xef\xbb\xbf" + good + b"\n" + bad + b"\n")
    items = _load(feed)
    assert _messages(items) == [f"{feed}:2: not UTF-8 (decoded with replacement)"]
    warn = items[1]
    assert not warn.fatal
    a1, a2 = _articles(items)
    assert a1.title == "T1" and a1.warnings == ()
    assert a2.warnings == ("not UTF-8 (decoded with replacement)",) and "caf\ufffd " in a2.text


REALISTIC_HTML = """<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8">
<title>Putin calls up 160,000 men in spring draft | The Kyiv Ledger</title>
<meta property="og:site_name" content="The Kyiv Ledger">
<meta property="og:title" content="Putin calls up 160,000 men in spring draft">
<link rel="canonical" href="https://kyivledger.example/world/putin-draft">
<meta property="article:published_time" content="2025-04-01T09:30:00Z">
</head><body>
<header><a href="#main">Skip to content</a>
<nav><ul><li><a href="/">Home</a></li><li><a href="/world">World</a></li><li><a href="/politics">Politics</a></li>
<li><a href="/sport">Sport</a></li></ul></nav></header>
<main id="main"><article>
<h1>Putin calls up 160,000 men in spring draft</h1>
<p class="byline">By Olena Petrenko</p>
<p>Russian President Vladimir Putin has signed a decree calling up 160,000 men aged 18 to 30 for military service,
the Kremlin said on Monday.</p>
<p>The spring draft runs from April 1 to July 15 and is the largest since 2011, according to the state news agency
TASS.</p>
<h2>Training first</h2>
<p>Officials said the conscripts would not be sent to fight in Ukraine, although rights groups have documented
cases where they were.</p>
<p>Read more: Finland to leave the Ottawa Convention on landmines</p>
</article></main>
<aside><h3>Most read</h3><ul><li><a href="/a">Markets tumble on tariff fears</a></li>
<li><a href="/b">Storm hits the coast</a></li></ul></aside>
<footer><p>© 2025 The Kyiv Ledger. All rights reserved.</p><a href="/privacy">Privacy policy</a> |
<a href="/terms">Terms of use</a></footer>
</body></html>
"""


def test_html_keeps_the_body_and_drops_the_chrome(tmp_path):
    page = tmp_path / "ledger.html"
    page.write_text(REALISTIC_HTML, encoding="utf-8")
    (a,) = _load(page)
    assert a.title == "Putin calls up 160,000 men in spring draft"
    assert (a.outlet, a.url, a.published) == (
        "The Kyiv Ledger", "https://kyivledger.example/world/putin-draft", "2025-04-01")
    lines = a.text.split("\n")
    assert lines[0] == a.title
    assert lines[1].startswith("Russian President Vladimir Putin has signed a decree calling up 160,000 men")
    assert "the largest since 2011, according to the state news agency TASS." in a.text
    assert "Training first" in lines
    assert lines[-1].endswith("rights groups have documented cases where they were.")
    for chrome in ("Skip to content", "Politics", "Sport", "Most read", "Markets tumble", "Storm hits",
                   "All rights reserved", "Privacy policy", "Terms of use", "Read more", "Finland"):
        assert chrome not in a.text, chrome
    # what trafilatura cut is kept, in page order, as "page chrome"; the cleaner's own cuts keep their reason
    assert [(r.reason, r.text) for r in a.removed] == [
        ("page chrome", "Skip to content"), ("page chrome", "Home"), ("page chrome", "World"),
        ("page chrome", "Politics"), ("page chrome", "Sport"), ("page chrome", "By Olena Petrenko"),
        ("teaser", "Read more: Finland to leave the Ottawa Convention on landmines"),
        ("page chrome", "Most read"), ("page chrome", "Markets tumble on tariff fears"),
        ("page chrome", "Storm hits the coast"), ("page chrome", "© 2025 The Kyiv Ledger. All rights reserved."),
        ("page chrome", "Privacy policy | Terms of use")]
    # each stands at a line start of the article, or at its end
    assert all(r.offset in (0, len(a.text)) or a.text[r.offset - 1] == "\n" for r in a.removed)


def test_html_without_site_name_falls_back_to_source_line_then_host(tmp_path):
    body = "".join(f"<p>{BODY} Paragraph {i} adds more words to the story for the extractor.</p>" for i in range(4))
    page = tmp_path / "plain.htm"
    page.write_text(f"<html><head><title>Plain</title></head><body><article><h1>Plain</h1>{body}"
                    "<p>Source: Meduza</p></article></body></html>", encoding="utf-8")
    (a,) = _load(page)
    assert a.outlet == "Meduza" and a.title == "Plain" and "Source:" not in a.text


def test_markdown_markup_is_removed_and_text_kept(tmp_path):
    md = tmp_path / "story.markdown"
    md.write_text(
        "---\ntitle: \"Putin orders 160,000 men to the army\"\nsource: Meduza\nurl: https://meduza.example/x\n"
        "date: 2025-04-01\n---\n\n# Putin orders **160,000** men to the army\n\n*By Jane Doe*\nApr 3, 2025\n\n"
        "Russian President [Vladimir Putin](https://kremlin.example) has signed a decree\nto call up 160,000 men "
        "between the ages of 18 and 30.\n\n![Putin at a meeting](img.jpg)\n\n## A record draft\n\n"
        "- The draft runs until `July 15`.\n- It is the _largest_ since 2011.\n\n"
        "> \"We will not send conscripts to Ukraine,\" an official said.\n\n---\n\n[1]: https://example.org\n"
        "Read also: Something else entirely\n",
        encoding="utf-8",
    )
    (a,) = _load(md)
    assert a.text == (
        "Putin orders 160,000 men to the army\n"
        "Russian President Vladimir Putin has signed a decree to call up 160,000 men between the ages of 18 and 30.\n"
        "A record draft\nThe draft runs until July 15.\nIt is the largest since 2011.\n"
        "\"We will not send conscripts to Ukraine,\" an official said."
    )
    assert (a.outlet, a.url, a.published) == ("Meduza", "https://meduza.example/x", "2025-04-01")
    assert [(r.line, r.reason, r.text) for r in a.removed] == [
        (10, "byline", "By Jane Doe"), (11, "dateline", "Apr 3, 2025"), (28, "teaser", "Read also: Something else entirely")]


def test_markdown_entities_escapes_and_setext_heading(tmp_path):
    md = tmp_path / "e.md"
    md.write_text("AT&amp;T \\*not emphasis\\* title\n===\n\n&#8220;Quoted,&#8221; 2*3*4 and snake_case_name stay.  \n"
                  "Hard break above, said the analyst &#27;[31m.\n", encoding="utf-8")
    (a,) = _load(md)
    assert a.text == ("AT&T *not emphasis* title\n“Quoted,” 234 and snake_case_name stay.\n"
                      "Hard break above, said the analyst [31m.")


def test_hard_wrapped_text_is_unwrapped(tmp_path):
    f = tmp_path / "wrapped.txt"
    f.write_text(
        "Putin calls up 160,000\n\nBy Jane Doe\n\n"
        "Russian President Vladimir Putin has signed a decree calling up\n"
        "160,000 men aged 18 to 30 for military service, the Kremlin said\n"
        "on Monday.\n\n"
        "The spring draft runs from April 1 to July 15 and is the largest\n"
        "since 2011, according to the state news agency TASS, which said\n"
        "the decree was published on the government portal.\n", encoding="utf-8")
    (a,) = _load(f)
    assert a.text.split("\n") == [
        "Putin calls up 160,000",
        "Russian President Vladimir Putin has signed a decree calling up 160,000 men aged 18 to 30 for military "
        "service, the Kremlin said on Monday.",
        "The spring draft runs from April 1 to July 15 and is the largest since 2011, according to the state news "
        "agency TASS, which said the decree was published on the government portal.",
    ]
    assert [(r.line, r.reason) for r in a.removed] == [(3, "byline")]


def test_short_one_line_paragraphs_are_not_joined(tmp_path):
    lines = [
        "Russia calls up 160,000 men",
        "Russian President Vladimir Putin has signed a decree calling up 160,000 men.",
        "The spring draft runs from April 1 to July 15, the decree says, as every year.",
        "Escalating Tensions with NATO and Ukraine",
        "Finland has pledged to raise defence spending to 3% of GDP, up from 2.4% in 2024.",
        "Officials said the conscripts would not be sent to fight in Ukraine this spring.",
    ]
    f = tmp_path / "short.txt"
    f.write_text("\n".join(lines), encoding="utf-8")
    (a,) = _load(f)
    assert a.text.split("\n") == lines


# ------------------------------------------------------------------------------------------ bad input
def test_missing_path_and_order_is_kept(tmp_path):
    good = tmp_path / "good.txt"
    good.write_text("Good title\n" + BODY)
    items = _load(tmp_path / "nope.txt", good, tmp_path / "gone")
    assert _messages(items) == [f"{tmp_path}/nope.txt: no such file or directory",
                                f"{tmp_path}/gone: no such file or directory"]
    assert [type(i).__name__ for i in items] == ["InputProblem", "Article", "InputProblem"]


def test_folder_with_no_supported_files(tmp_path):
    (tmp_path / "a.pdf").write_bytes(b"%PDF")
    (tmp_path / "empty").mkdir()
    assert _messages(_load(tmp_path)) == [f"{tmp_path}: no supported files (looked for {SUPPORTED})"]
    assert _messages(_load(tmp_path / "empty")) == [f"{tmp_path}/empty: no supported files (looked for {SUPPORTED})"]


def test_unsupported_extension_given_explicitly(tmp_path):
    pdf = tmp_path / "report.pdf"
    pdf.write_bytes(b"%PDF-1.4")
    bare = tmp_path / "README"
    bare.write_text("hello")
    assert _messages(_load(pdf, bare)) == [
        f"{pdf}: unsupported file type '.pdf' (use {SUPPORTED})",
        f"{bare}: unsupported file type (no extension) (use {SUPPORTED})",
    ]


def test_empty_and_whitespace_only_files(tmp_path):
    (tmp_path / "a.txt").write_bytes(b"")
    (tmp_path / "b.md").write_bytes(b" \n\t\r\n  ")
    (tmp_path / "c.html").write_bytes(b"\xef\xbb\xbf\n")
    (tmp_path / "d.jsonl").write_bytes(b"")
    (tmp_path / "e.jsonl").write_bytes(b"\n  \n")
    assert _messages(_load(tmp_path)) == [
        f"{tmp_path}/a.txt: empty file",
        f"{tmp_path}/b.md: empty file (only whitespace)",
        f"{tmp_path}/c.html: empty file (only whitespace)",
        f"{tmp_path}/d.jsonl: empty file",
        f"{tmp_path}/e.jsonl: empty file (only whitespace)",
    ]


def test_binary_files_are_refused(tmp_path):
    (tmp_path / "nul.txt").write_bytes(b"Title\n\x00\x01\x02binary")
    (tmp_path / "noise.txt").write_bytes(bytes(range(1, 32)) * 20 + bytes(range(0x80, 0x100)) * 5)
    (tmp_path / "png.md").write_bytes(b"\x89PNG\r\n\x1a\n" + b"\x00" * 16)
    (tmp_path / "nul.jsonl").write_bytes(b'{"text": "a"}\n\x00\x00')
    assert _messages(_load(tmp_path)) == [
        f"{tmp_path}/noise.txt: binary file (not text)",
        f"{tmp_path}/nul.jsonl: binary file (not text)",
        f"{tmp_path}/nul.txt: binary file (not text)",
        f"{tmp_path}/png.md: binary file (not text)",
    ]


def test_non_utf8_is_recovered_exactly_with_a_warning(tmp_path):
    text = ("Café title\nThe café in Moscow was full on Monday, officials said. “It’s the end — for now,” one "
            "waiter said, counting €5 notes.\n")
    f = tmp_path / "cp1252.txt"
    f.write_bytes(text.encode("cp1252"))
    problem, article = _load(f)
    assert problem.fatal is False and str(problem) == f"{f}: not UTF-8 (read as cp1252)"
    assert article.text == text.strip()  # every character back, curly quotes and euro sign included
    assert article.warnings == (problem.reason,)


def test_legacy_encoding_is_text_not_binary(tmp_path):
    f = tmp_path / "cp1251.txt"
    f.write_bytes("Путин призвал 160 000 человек\nВесенний призыв продлится до 15 июля.\n".encode("cp1251"))
    problem, article = _load(f)
    assert str(problem) == f"{f}: not UTF-8 (read as cp1251)" and not problem.fatal
    assert article.text == "Путин призвал 160 000 человек\nВесенний призыв продлится до 15 июля."


def test_bytes_no_encoding_fits_are_decoded_with_replacement(tmp_path):
    f = tmp_path / "mixed.txt"  # UTF-8 with one stray byte no single legacy encoding reads as this text
    f.write_bytes("Title line here\nThe café said ".encode() + b"\x81\x8d\x8f\x90\x9d" + " it was 日本 closed.\n".encode())
    problem, article = _load(f)
    assert not problem.fatal and problem.reason.startswith("not UTF-8")
    assert "Title line here" in article.text


def test_bom_and_utf16_are_read(tmp_path):
    (tmp_path / "bom.txt").write_bytes(b"\xef\xbb\xbfBOM title\n" + BODY.encode())
    (tmp_path / "u16.txt").write_bytes(("UTF-16 title\r\n" + BODY).encode("utf-16"))
    items = _load(tmp_path)
    assert _messages(items) == []
    assert [a.title for a in items] == ["BOM title", "UTF-16 title"]
    assert items[1].text == "UTF-16 title\n" + BODY


def test_file_over_the_limit_is_refused_with_size_and_limit(tmp_path):
    f = tmp_path / "big.txt"
    f.write_text("Title\n" + BODY * 3)
    size = f.stat().st_size
    assert _messages(_load(f, max_bytes=100)) == [f"{f}: too large: {size:,} bytes (limit 100)"]
    assert _articles(_load(f, max_bytes=size))  # exactly at the limit: read
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"title": "Small", "text": BODY}) + "\n" + json.dumps({"title": "Big", "text": BODY * 40}))
    big_line = len(json.dumps({"title": "Big", "text": BODY * 40}))
    items = _load(feed, max_bytes=1000)
    assert _messages(items) == [f"{feed}:2: too large: {big_line:,} bytes (limit 1,000)"]
    assert [a.title for a in _articles(items)] == ["Small"]


def test_html_without_main_text(tmp_path):
    f = tmp_path / "nav.html"
    f.write_text("<html><head><title>Menu</title></head><body><nav><a href='/'>Home</a></nav></body></html>")
    assert _messages(_load(f)) == [f"{f}: no main text found in the HTML"]


def test_article_that_is_all_noise(tmp_path):
    f = tmp_path / "noise.txt"
    f.write_text("top of page\n\n• Apr 3\n• 2 min read\nLeave a Comment\nbottom of page\n")
    assert _messages(_load(f)) == [f"{f}: nothing left after cleaning (all lines were noise)"]


def test_broken_link_and_same_article_twice(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "ok.txt").write_text("Fine title\n" + BODY)
    os.symlink(folder / "missing-target.txt", folder / "dangling.txt")
    items = _load(folder, folder / "ok.txt", folder / "dangling.txt")
    assert _messages(items) == [
        f"{folder}/dangling.txt: broken link (its target does not exist)",
        f"{folder}/ok.txt: same article as ok.txt (skipped)",
        f"{folder}/dangling.txt: broken link (its target does not exist)",
    ]
    assert len(_articles(items)) == 1


def test_problem_messages_are_safe_to_print(tmp_path):
    evil = tmp_path / "\x1b[31mred\u202e.txt"
    evil.write_bytes(b"")
    (msg,) = _messages(_load(tmp_path))
    assert msg == f"{tmp_path}/red.txt: empty file"


def test_terminal_escapes_never_reach_any_field(tmp_path):
    feed = tmp_path / "evil.jsonl"
    feed.write_text(json.dumps({
        "title": "\x1b[2J\x1b[HEvil\u202e title\x07", "text": "Line one is a sentence, it said.\x1b]0;pwned\x07\n\x9b31m"
        "Second\u2066 line\x00 here.", "outlet": "Out\x1b[31mlet\n", "url": "https://e.example/\x1b[0m",
        "published": "2025\x0b-04-01"}) + "\n")
    (a,) = _load(feed)
    assert (a.title, a.outlet, a.url, a.published) == ("Evil title", "Outlet", "https://e.example/", "2025-04-01")
    assert a.published_raw == "2025 -04-01"
    assert a.text == "Evil title\nLine one is a sentence, it said.\nSecond line here."


def test_html_declared_charset_is_honoured_without_warning(tmp_path):
    body = "".join(f"<p>Le café de Moscou était plein lundi, selon les responsables, paragraphe {i}.</p>" for i in range(4))
    page = tmp_path / "latin.html"
    page.write_bytes(("<html><head><meta charset='iso-8859-1'><title>Café</title></head><body><article>"
                      f"<h1>Café</h1>{body}</article></body></html>").encode("latin-1"))
    items = _load(page)
    assert _messages(items) == []
    assert items[0].title == "Café" and "Le café de Moscou" in items[0].text


def test_escapes_are_stripped_from_text_and_markdown_files(tmp_path):
    (tmp_path / "a.txt").write_bytes(
        "\x1b[1mBold\x1b[0m title\u202e\r\n\x1b]0;owned\x07Body line\x9b2J one, it said.\x01\n".encode("utf-8"))
    (tmp_path / "b.md").write_bytes("# Md \x1b[31mtitle\x1b[0m\n\nSome\u2066 body\x7f text.\n".encode("utf-8"))
    (tmp_path / "c.txt").write_bytes(b"\x1b[0m\x1b[2J\r\n\x07")
    items = _load(tmp_path)
    arts = {a.source: a for a in _articles(items)}
    assert _messages(items) == [f"{tmp_path}/c.txt: no text (only control characters)"]
    assert arts["a.txt"].text == "Bold title\nBody line one, it said."
    assert arts["b.md"].text == "Md title\nSome body text."


def test_fifo_named_like_an_article_is_refused_not_read(tmp_path):
    os.mkfifo(tmp_path / "pipe.txt")
    os.mkfifo(tmp_path / "pipe.jsonl")
    (tmp_path / "ok.txt").write_text("Fine title\n" + BODY)
    items = _load(tmp_path, tmp_path / "pipe.txt")
    assert _messages(items) == [
        f"{tmp_path}/pipe.jsonl: not a regular file",
        f"{tmp_path}/pipe.txt: not a regular file",
        f"{tmp_path}/pipe.txt: not a regular file",
    ]
    assert [a.source for a in _articles(items)] == ["ok.txt"]


BLOG_HTML = """<!DOCTYPE html><html><head><meta charset="utf-8"><title>Putin Calls Up Record 160,000 Conscripts – Global Desk</title>
<meta property="og:site_name" content="Global Desk"><meta property="og:type" content="article">
<meta name="author" content="paolo bibat"></head>
<body class="post-template">
<div id="top">top of page</div>
<header class="site-header"><nav class="menu"><a href="/">Home</a> <a href="/news">News</a> <a href="/about">About</a> <a href="/contact">Contact</a></nav></header>
<div class="post">
<h1 class="entry-title">Putin Calls Up Record 160,000 Conscripts</h1>
<ul class="post-meta"><li>Writer: paolo bibat</li><li>Apr 3</li><li>2 min read</li></ul>
<figure><img src="putin.jpg" alt="President Vladimir Putin"><figcaption>President Vladimir Putin</figcaption></figure>
<div class="entry-content">
<p>Russia has announced its largest military draft in over a decade, with 160,000 men aged 18-30 called up for conscription, signaling an intensified effort to expand its armed forces.</p>
<h2>Russia’s Growing Military</h2>
<p>The conscription drive, running from April to July, is part of Russia’s biannual draft. Independent reports from BBC and Mediazona have verified at least 100,000 Russian soldiers killed.</p>
<p><strong>Read Also:</strong> <a href="/x">Israel killed 15 Palestinian paramedics, says UN</a></p>
<p>Finland also pledged to increase defense spending to 3% of GDP, up from 2.4% in 2024.</p>
<div class="share">Share this: <a>Facebook</a> <a>Twitter</a></div>
</div></div>
<section id="comments"><h3>Leave a Comment</h3><form><textarea></textarea><button>Post Comment</button></form></section>
<footer>bottom of page</footer>
</body></html>
"""


def test_blog_page_noise_inside_and_around_the_post(tmp_path):
    page = tmp_path / "blog.html"
    page.write_text(BLOG_HTML, encoding="utf-8")
    (a,) = _load(page)
    assert (a.title, a.outlet) == ("Putin Calls Up Record 160,000 Conscripts", "Global Desk")
    assert a.published == ""  # no date in the markup: never guessed from "in 2024" in the text
    assert a.text.split("\n") == [
        "Putin Calls Up Record 160,000 Conscripts",
        "Russia has announced its largest military draft in over a decade, with 160,000 men aged 18-30 called up "
        "for conscription, signaling an intensified effort to expand its armed forces.",
        "Russia’s Growing Military",
        "The conscription drive, running from April to July, is part of Russia’s biannual draft. Independent "
        "reports from BBC and Mediazona have verified at least 100,000 Russian soldiers killed.",
        "Finland also pledged to increase defense spending to 3% of GDP, up from 2.4% in 2024.",
    ]
    assert [(r.reason, r.text) for r in a.removed if r.reason != "page chrome"] == [
        ("teaser", "Read Also: Israel killed 15 Palestinian paramedics, says UN")]
    assert [r.text for r in a.removed if r.reason == "page chrome"] == [
        "top of page", "Home News About Contact", "Writer: paolo bibat", "Apr 3", "2 min read",
        "President Vladimir Putin", "Share this: Facebook Twitter", "Leave a Comment", "Post Comment",
        "bottom of page"]
