"""Corpus material for the store tests, built without spaCy: real sentences from sample_data.

Each sample file becomes an Article (cleaned the simple way: lines stripped, blank lines dropped);
each sentence of its body becomes a Claim whose offsets point into the article text.
"""

from __future__ import annotations

import hashlib
import re
from pathlib import Path

from claimdesk.extract.links import link_corpus
from claimdesk.extract.model import Article, Attribution, Claim, Quantity, stable_id

SAMPLE_DIR = Path(__file__).resolve().parent.parent / "sample_data"
_SENTENCE = re.compile(r"[^.!?]+[.!?]+[”\"]?")


def article_from_text(source: str, raw: str, outlet: str = "") -> Article:
    lines = [line.strip() for line in raw.splitlines() if line.strip()]
    text = "\n".join(lines)
    return Article(
        id=stable_id("a", source),
        source=source,
        outlet=outlet or source.split("_")[0],
        title=lines[0] if lines else "",
        text=text,
        digest=hashlib.sha1(text.encode("utf-8")).hexdigest(),
    )


def claims_of(article: Article, limit: int | None = None) -> list[Claim]:
    claims: list[Claim] = []
    seen: dict[str, int] = {}
    title_end = article.text.find("\n")
    kinds = ("statistic", "quote", "event", "statement")
    for m in _SENTENCE.finditer(article.text, title_end + 1 if title_end >= 0 else 0):
        start = m.start() + (len(m.group()) - len(m.group().lstrip()))
        text = article.text[start : m.end()]
        if len(text) < 25 or "\n" in text:
            continue
        n = seen.get(text, 0)
        seen[text] = n + 1
        numbers = [q for q in re.finditer(r"\d[\d,]*", text)]
        claims.append(
            Claim(
                id=stable_id("c", article.id, text.lower(), str(n)),
                article_id=article.id,
                start=start,
                end=m.end(),
                text=text,
                kind="statistic" if numbers else kinds[len(claims) % 4],
                attribution=Attribution("TASS", "named", "according to TASS") if "TASS" in text else Attribution(""),
                quantities=tuple(
                    Quantity(q.group(), start + q.start(), start + q.end(), float(q.group().replace(",", "") or 0))
                    for q in numbers
                ),
                lemmas=tuple(sorted({w.lower() for w in re.findall(r"[A-Za-z]{4,}", text)})[:12]),
            )
        )
        if limit and len(claims) >= limit:
            break
    return claims


def sample_corpus(limit: int | None = None) -> tuple[list[Article], dict[str, list[Claim]]]:
    articles = [article_from_text(p.name, p.read_text(encoding="utf-8")) for p in sorted(SAMPLE_DIR.glob("*.txt"))]
    return articles, {a.id: claims_of(a, limit) for a in articles}


# ------------------------------------------------------------------ pytest fixtures (import them into a test module)

import shutil  # noqa: E402

import pytest  # noqa: E402


@pytest.fixture(scope="session")
def store_corpus_parts():
    return sample_corpus()


@pytest.fixture(scope="session")
def store_db_template(tmp_path_factory, store_corpus_parts) -> Path:
    """One ingested database (the five sample articles, spaCy-free claims), linked once per session."""
    from claimdesk.store.database import Database

    folder = tmp_path_factory.mktemp("store-template") / "claimdesk.db"
    Database.open(folder, create=True).ingest(*store_corpus_parts, link_corpus)
    return folder


@pytest.fixture
def store_db(store_db_template, tmp_path):
    """A private copy of the template database, opened."""
    from claimdesk.store.database import Database

    target = tmp_path / "claimdesk.db"
    shutil.copytree(store_db_template, target)
    return Database.open(target)
