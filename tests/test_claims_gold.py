"""Claims against the hand-made gold file for sample_data (tests/gold/sample_claims.json)."""

from __future__ import annotations

import pytest

from claims_fixtures import load_gold, score

GOLD = load_gold()
GOLD_CLAIMS = [(source, g) for source, entry in GOLD.items() for g in entry["claims"]]


@pytest.fixture(scope="module")
def by_source(sample_articles, sample_claims):
    return {a.source: sample_claims[a.id] for a in sample_articles}


@pytest.fixture(scope="module")
def texts(sample_articles):
    return {a.source: a.text for a in sample_articles}


def test_gold_texts_are_in_the_cleaned_articles(sample_articles):
    texts = {a.source: a.text for a in sample_articles}
    assert set(GOLD) == set(texts)
    for source, entry in GOLD.items():
        for text in [g["text"] for g in entry["claims"]] + entry["not_claims"]:
            assert text in texts[source], (source, text)


def test_recall_and_precision_on_gold(by_source):
    result = score(GOLD, by_source)
    assert result["recall"] >= 0.9, result["missing"]
    assert result["precision"] >= 0.85, result["false_positives"]
    assert result["kind_accuracy"] >= 0.9


def test_no_heading_title_or_filler_is_a_claim(by_source):
    for source, entry in GOLD.items():
        for bad in entry["not_claims"]:
            hits = [c.text for c in by_source[source] if bad in c.text or c.text in bad]
            assert not hits, (source, bad)


def _claim(by_source, source, text):
    matches = [c for c in by_source[source] if c.text == text]
    assert matches, f"not a claim: {text}"
    return matches[0]


@pytest.mark.parametrize(("source", "gold"), GOLD_CLAIMS, ids=[g["text"][:40] for _, g in GOLD_CLAIMS])
def test_gold_claim(by_source, texts, source, gold):
    claim = _claim(by_source, source, gold["text"])
    assert claim.kind == gold["kind"]
    if "attribution" in gold:
        assert (claim.attribution.name, claim.attribution.kind) == (gold["attribution"], gold["attribution_kind"])
        if gold["attribution_kind"] != "none":
            assert claim.attribution.cue and claim.attribution.cue in texts[source]
    if "quantities" in gold:
        got = [
            {"text": q.text, "value": q.value, "high": q.high, "unit": q.unit, "approx": q.approx}
            for q in claim.quantities
        ]
        for want in gold["quantities"]:
            assert want in got, (want, got)
        if gold["exact_quantities"]:
            assert len(got) == len(gold["quantities"]), got
    if "dates" in gold:
        got = [{"text": d.text, "value": d.value, "since": d.since} for d in claim.dates]
        for want in gold["dates"]:
            assert want in got, (want, got)
    if "title_offices" in gold:
        for pair in gold["title_offices"]:
            assert tuple(pair) in claim.title_offices, claim.title_offices
