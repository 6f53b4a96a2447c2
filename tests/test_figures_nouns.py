"""What a figure counts (extract.facts.figure_of): the noun after it, never a preposition that follows
("160,000 men between the ages of 18 and 30" counts men, not "between"). Real sentences through the real
pipeline (spaCy, claim extraction)."""

from __future__ import annotations


def _nouns(nlp, sentence: str) -> dict[str, frozenset[str]]:
    from claimdesk.extract.claims import extract_claims
    from claimdesk.extract.facts import figure_of
    from claimdesk.extract.model import Article, stable_id

    article = Article(stable_id("a", "n0"), "n0.txt", "Outlet", "Story", f"Story\n{sentence}")
    claims = [c for _a, cs in extract_claims([article], nlp=nlp) for c in cs]
    return {q.text: figure_of(c, q).nouns for c in claims for q in c.quantities}


def test_a_preposition_after_the_counted_noun_is_not_counted(nlp):
    sentence = "Putin has signed a decree to mobilize 160,000 men between the ages of 18 and 30 into the army."
    nouns = _nouns(nlp, sentence)
    assert nouns["160,000"] == frozenset({"men"})


def test_the_counted_noun_before_a_preposition_is_kept(nlp):
    nouns = _nouns(nlp, "The storm caused 300 deaths during the first week, officials said.")
    assert nouns["300"] == frozenset({"death"})
