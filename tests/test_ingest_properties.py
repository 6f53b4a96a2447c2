"""Property tests: sanitize is safe and idempotent; cleaning only ever removes whole input lines."""

from __future__ import annotations

import re
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claimdesk.extract.clean import clean_lines, clean_text
from claimdesk.extract.model import Article, InputProblem
from claimdesk.extract.readers import load_articles
from claimdesk.extract.sanitize import is_clean, sanitize, sanitize_line

UNSAFE = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff\ud800-\udfff]"
)
PIECES = [
    "\x1b", "\x1b[", "\x1b]", "\x1bP", "\x1b\\", "\x07", "\x9b", "\x9c", "\x9d", "[31m", "0;title", "8;;http://x",
    "\r\n", "\r", "\t", "\x00", "\x7f", "\x85", "\u202e", "\u2066", "\u200f", "\u061c", "\ufeff", "\u2028", "\n",
    "“quoted”", "—", "é", "Привет", "日本", "مرحبا", "\U0001f600", "\ud800",
]
nasty = st.lists(st.one_of(st.sampled_from(PIECES), st.text(max_size=5)), max_size=30).map("".join)
safe_char = st.characters(
    blacklist_categories=("Cc", "Cs"),
    blacklist_characters="\u061c\u200e\u200f\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u2028\u2029\ufeff",
)
clean_strings = st.text(alphabet=st.one_of(safe_char, st.just("\n")), max_size=200)


@given(nasty)
def test_sanitize_leaves_no_control_escape_or_bidi(s):
    out = sanitize(s)
    assert not UNSAFE.search(out)
    assert "\x1b" not in out and is_clean(out)


@given(nasty)
def test_sanitize_is_idempotent(s):
    once = sanitize(s)
    assert sanitize(once) == once
    line = sanitize_line(s)
    assert sanitize_line(line) == line and "\n" not in line


@given(clean_strings)
def test_already_clean_text_is_unchanged(s):
    assert sanitize(s) == s


def test_sanitize_examples():
    assert sanitize("\x1b[1;31mred\x1b[0m") == "red"
    assert sanitize("a\x1b]0;window title\x07b") == "ab"
    assert sanitize("a\x1b]8;;http://evil\x1b\\link\x1b]8;;\x1b\\b") == "alinkb"
    assert sanitize("a\x1bPdevice\x9cb") == "ab"
    assert sanitize("a\x1bcb\x1b(Bc") == "abc"
    assert sanitize("tab\there\r\nnext\rline") == "tab here\nnext\nline"
    assert sanitize("\u202eevil\u202c \u2066iso\u2069 \u200fmark\u061c") == "evil iso mark"
    assert sanitize("a\x1b]unterminated") == "aunterminated"
    assert sanitize("“Curly” — dash, café") == "“Curly” — dash, café"
    assert sanitize_line("  a\n\tb  ") == "a b"


# ------------------------------------------------------------------------------------------ cleaning
NOISE_LINES = [
    "top of page", "bottom of page", "• Writer: jane doe", "jane doe", "• Apr 3", "• 2 min read",
    "President Vladimir Putin", "President Vladimir Putin", "Read Also: Another headline here", "Leave a Comment",
    "Share this", "Lorem ipsum dolor sit amet, consectetur adipiscing elit.", "Source: CNN – A headline", "•",
    "Related stories", "Menu", "By Jane Doe", "Advertisement", "© 2025 Some Outlet", "",
]
WORDS = (
    "the draft began on Tuesday and will run through July with men aged between 18 30 called up by "
    "Russia Putin officials said more than 160,000 read share comments home April 3 min source according to "
    "TASS reports Moscow troops war Ukraine talks peace a of in has have were not"
).split()
sentence = st.lists(st.sampled_from(WORDS), min_size=8, max_size=25).map(
    lambda ws: " ".join([ws[0].capitalize()] + ws[1:]) + "."
)
any_line = st.one_of(st.sampled_from(NOISE_LINES), sentence, st.text(alphabet=safe_char, max_size=60))


@given(st.lists(any_line, max_size=25), st.sampled_from(["", " ", "  "]))
@settings(max_examples=150)
def test_cleaning_only_removes_whole_lines(lines, pad):
    raw = "\n".join(pad + l for l in lines)
    cleaned = clean_text(raw)
    raw_lines = sanitize(raw).split("\n")
    text_lines = cleaned.text.split("\n") if cleaned.text else []
    # every kept line occurs in the raw input, and kept + removed partition the non-blank lines
    kept_numbers = []
    for r in cleaned.removed:
        assert raw_lines[r.line - 1].strip() == r.text
        assert 0 <= r.offset <= len(cleaned.text)
        assert r.offset in (0, len(cleaned.text)) or cleaned.text[r.offset - 1] == "\n"
    removed_numbers = {r.line for r in cleaned.removed}
    for no, line in enumerate(raw_lines, 1):
        if line.strip() and no not in removed_numbers:
            kept_numbers.append(line.strip())
    assert text_lines == kept_numbers
    assert "\n\n" not in cleaned.text and is_clean(cleaned.text.replace("\n", " "))
    assert cleaned.title == (text_lines[0] if text_lines else "")


@given(st.lists(sentence, min_size=1, max_size=20, unique=True))
def test_real_sentences_are_never_removed(sentences):
    lines = [(i, s) for i, s in enumerate(["A plain title"] + sentences, start=1)]
    cleaned = clean_lines(lines)
    assert cleaned.removed == ()
    assert cleaned.text == "\n".join(["A plain title"] + sentences)


# ------------------------------------------------------------------------------------------ readers never crash
@given(st.binary(max_size=400), st.sampled_from([".txt", ".md", ".jsonl"]))
@settings(max_examples=80, suppress_health_check=[HealthCheck.too_slow], deadline=None)  # first use loads charset_normalizer
def test_load_articles_never_raises_and_every_field_is_clean(data, ext):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / f"fuzz{ext}"
        path.write_bytes(data)
        items = list(load_articles([path]))
    assert items, "every input yields an article or a problem"
    for item in items:
        if isinstance(item, InputProblem):
            assert str(item).startswith(str(path)) and "\n" not in item.reason
            continue
        assert isinstance(item, Article)
        for value in (item.title, item.outlet, item.url, item.published, item.source):
            assert "\n" not in value and is_clean(value)
        assert is_clean(item.text.replace("\n", " ")) and item.text.split("\n")[0] == item.title
        assert all(is_clean(r.text) for r in item.removed)


@given(nasty)
@settings(max_examples=30, deadline=None)
def test_html_never_raises(s):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.html"
        path.write_text(f"<html><body><article><p>{s}</p><p>{s} and more words here.</p></article></body></html>",
                        encoding="utf-8", errors="surrogatepass")
        items = list(load_articles([path]))
    assert items
    for item in items:
        if isinstance(item, Article):
            assert is_clean(item.text.replace("\n", " ")) and is_clean(item.title)


MD_PIECES = ["# ", "## ", "**", "*", "_", "__", "`", "```\n", "[", "](", ")", "![", "<!--", "-->", "<b>", "</b>", "\\",
             "&amp;", "&#27;", "\n", "\n\n", "> ", "- ", "1. ", "---\n", "===\n", "  \n", "word ", "Putin ", "160,000 ",
             "title: x\n", "\x1b[31m", "\u202e"]
markdown = st.lists(st.sampled_from(MD_PIECES), max_size=60).map("".join)


@given(markdown)
@settings(max_examples=150, deadline=None)  # the first example loads markdown-it; speed is for bench/
def test_markdown_never_raises_and_output_is_clean(md):
    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp) / "fuzz.md"
        path.write_text(md, encoding="utf-8")
        items = list(load_articles([path]))
    assert len(items) >= 1
    for item in items:
        if isinstance(item, Article):
            assert is_clean(item.text.replace("\n", " ")) and "\n" not in item.title and item.text
            assert "\n\n" not in item.text and item.text.split("\n")[0] == item.title
