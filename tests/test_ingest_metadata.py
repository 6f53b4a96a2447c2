"""Article metadata from files: ISO dates with the original kept, datelines, outlet labels, authors, JSONL field
types, control-character references, legacy encodings and the non-English warning."""

from __future__ import annotations

import json

import pytest

from claimdesk.extract.dates import normalise_date
from claimdesk.extract.document import label_from
from claimdesk.extract.language import language_warning
from claimdesk.extract.model import Article, InputProblem, as_dict, from_dict
from claimdesk.extract.readers import load_articles
from claimdesk.extract.sanitize import drop_control_references

BODY = "Russian President Vladimir Putin has signed a decree calling up 160,000 men, the Kremlin said on Monday."


def _load(*paths):
    return list(load_articles(list(paths)))


@pytest.mark.parametrize("raw, iso", [
    ("2025-04-01", "2025-04-01"),
    ("2025-04-01T09:30:00Z", "2025-04-01"),
    ("2025-04-01T09:30:00+03:00", "2025-04-01"),
    ("14/03/2024", "2024-03-14"),
    ("Tue, 01 Apr 2025 09:30:00 GMT", "2025-04-01"),
    ("April 3, 2025", "2025-04-03"),
    ("3 April 2025", "2025-04-03"),
    ("Apr 3", "--04-03"),
    ("1 avril 2025", "2025-04-01"),
    ("2024-08", "2024-08"),
    ("2024", "2024"),
    ("yesterday", ""),
    ("3 hours ago", ""),
    ("2025-02-30", ""),
    ("not a date", ""),
])
def test_dates_are_normalised_to_iso_8601(raw, iso):
    assert normalise_date(raw) == iso


def test_jsonl_published_is_iso_with_the_original_kept(tmp_path):
    feed = tmp_path / "feed.jsonl"
    rows = [{"title": "One", "text": BODY, "published": "14/03/2024", "authors": ["Ana Ruiz", "Ben Ode"]},
            {"title": "Two", "text": BODY, "published": "2024-03-15"},
            {"title": "Three", "text": BODY, "published": "sometime soon"}]
    feed.write_text("\n".join(json.dumps(r) for r in rows) + "\n", encoding="utf-8")
    items = _load(feed)
    one, two, three = [i for i in items if isinstance(i, Article)]
    assert (one.published, one.published_raw, one.authors) == ("2024-03-14", "14/03/2024", ("Ana Ruiz", "Ben Ode"))
    assert (two.published, two.published_raw) == ("2024-03-15", "")  # already ISO: nothing else to keep
    assert (three.published, three.published_raw) == ("", "sometime soon")
    assert [str(i) for i in items if isinstance(i, InputProblem)] == [
        f"{feed}:3: date not understood: 'sometime soon' (kept as given)"]


@pytest.mark.parametrize("field, value, kind", [
    ("url", 5, "number"), ("published", True, "boolean"), ("outlet", ["CNN"], "list"), ("title", {"a": 1}, "object"),
])
def test_jsonl_fields_of_the_wrong_type_are_a_line_numbered_error(tmp_path, field, value, kind):
    feed = tmp_path / "feed.jsonl"
    feed.write_text(json.dumps({"title": "Good", "text": BODY}) + "\n"
                    + json.dumps({"title": "Bad", "text": BODY, field: value}) + "\n", encoding="utf-8")
    items = _load(feed)
    assert [str(i) for i in items if isinstance(i, InputProblem)] == [
        f"{feed}:2: '{field}' is not a string (a {kind})"]
    assert [a.title for a in items if isinstance(a, Article)] == ["Good"]


def test_published_line_and_agency_dateline_in_text_files(tmp_path):
    (tmp_path / "a.txt").write_text(f"Draft story\nPublished: Wednesday 2 April 2025\n{BODY}\n", encoding="utf-8")
    (tmp_path / "b.md").write_text(f"# Wire story\n\nMOSCOW, April 3, 2025 (Reuters) - {BODY}\n", encoding="utf-8")
    a, b = _load(tmp_path)
    assert (a.published, a.published_raw) == ("2025-04-02", "Published: Wednesday 2 April 2025")
    assert "Published" not in a.text  # the line is metadata, removed as a dateline
    assert (b.published, b.published_raw) == ("2025-04-03", "April 3, 2025")
    assert b.text.split("\n")[1].startswith("MOSCOW, April 3, 2025 (Reuters) - ")  # the sentence stays


@pytest.mark.parametrize("stem, title, label", [
    ("002_a89c721e5a84b66e", "Putin Calls Up Record 160,000 Conscripts as Russia Expands", "Putin Calls Up Record 160,000…"),
    ("reuters_a89c721e5a84b66e", "Anything", "reuters"),
    ("meduza-story", "Anything", "meduza-story"),
    ("1234567", "Short title", "Short title"),
    ("", "Draft figures", "Draft figures"),
])
def test_outlet_label_is_readable_when_a_file_names_none(stem, title, label):
    assert label_from(stem, title) == label


def test_html_control_character_references_are_dropped_not_refused(tmp_path):
    page = tmp_path / "refs.html"
    paragraphs = "".join(f"<p>{BODY} Paragraph {i} says more&#7; about&#x1B;[2J the&#155; draft.</p>" for i in range(4))
    page.write_text(f"<html><head><title>Refs</title></head><body><article><h1>Refs</h1>{paragraphs}"
                    "</article></body></html>", encoding="utf-8")
    (a,) = _load(page)
    assert "Paragraph 0 says more about[2J the draft." in a.text
    assert drop_control_references("a&#7;b &#8220;q&#8221; &amp; &#10;") == "ab &#8220;q&#8221; &amp; &#10;"


def test_non_english_articles_get_a_one_line_warning():
    russian = ("Президент России Владимир Путин подписал указ о призыве на военную службу 160 000 граждан в возрасте "
               "от 18 до 30 лет. Призыв продлится с 1 апреля по 15 июля, сообщили в Кремле в понедельник.")
    warning = language_warning(russian)
    assert warning.startswith("not in English (looks like 'ru'") and "\n" not in warning
    assert language_warning(BODY * 3) == ""
    assert language_warning("Bonjour") == ""  # too short to tell


def test_old_article_rows_without_the_new_fields_still_load():
    row = as_dict(Article(id="a1", source="x.txt", outlet="CNN", title="T", text="T\nBody.", published="--04-03"))
    for key in ("published_raw", "authors", "canonical_url"):
        del row[key]
    article = from_dict(Article, row)
    assert (article.published_raw, article.authors, article.canonical_url) == ("", (), "")
