"""Helpers for the claims tests (helper "claims"): the gold file and one-off articles from a text."""

from __future__ import annotations

import json
from pathlib import Path

from claimdesk.extract.model import Article, Claim, stable_id

GOLD_PATH = Path(__file__).resolve().parent / "gold" / "sample_claims.json"


def load_gold() -> dict[str, dict]:
    data = json.loads(GOLD_PATH.read_text(encoding="utf-8"))
    return {k: v for k, v in data.items() if not k.startswith("_")}


def article_from_text(text: str, source: str = "test.txt") -> Article:
    """An Article as load_articles makes them (title = first line), for sentence-level tests."""
    return Article(id=stable_id("a", source), source=source, outlet="", title=text.split("\n")[0], text=text)


def claims_of(nlp, text: str, source: str = "test.txt") -> list[Claim]:
    from claimdesk.extract.claims import extract_claims

    [(article, claims)] = list(extract_claims([article_from_text(text, source)], nlp=nlp))
    return claims


def by_text(claims: list[Claim]) -> dict[str, Claim]:
    return {c.text: c for c in claims}


def score(gold: dict[str, dict], claims_by_source: dict[str, list[Claim]]) -> dict[str, object]:
    """Recall over the must-claims, precision over the scored claims (must + must-not), kind accuracy."""
    found = missed = false_pos = kind_ok = 0
    missing: list[str] = []
    wrong: list[str] = []
    for source, entry in gold.items():
        claims = claims_by_source[source]
        texts = {c.text: c for c in claims}
        for g in entry["claims"]:
            c = texts.get(g["text"])
            if c is None:
                missed += 1
                missing.append(g["text"])
                continue
            found += 1
            kind_ok += c.kind == g["kind"]
        for bad in entry["not_claims"]:
            for c in claims:
                if bad in c.text or c.text in bad:
                    false_pos += 1
                    wrong.append(c.text)
    return {
        "recall": found / (found + missed),
        "precision": found / (found + false_pos) if found + false_pos else 0.0,
        "kind_accuracy": kind_ok / found if found else 0.0,
        "missing": missing,
        "false_positives": wrong,
    }
