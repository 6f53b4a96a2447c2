"""Properties of link_claims/suggest on random hand-built corpora (hypothesis)."""

from __future__ import annotations

import random

from hypothesis import given, settings
from hypothesis import strategies as st
from links_fixtures import claim

from claimdesk.extract.links import link_claims
from claimdesk.extract.model import STATUSES
from claimdesk.extract.suggest import suggest

WORDS = ["draft", "conscript", "army", "spring", "decree", "border", "mines", "ceasefire", "talks"]
FIGURES = [("160,000", 160000.0), ("150,000", 150000.0), ("over 100,000", 100000.0), ("3,000", 3000.0)]
NOUNS = ["men", "soldiers", "conscripts", "people"]
PEOPLE = ["Vladimir Putin", "Donald Trump", "Kirill Dmitriev"]
OFFICES = ["president", "former president", "U.S. President"]
YEARS = ["2011", "2015", "2022"]


@st.composite
def claims_strategy(draw):
    n = draw(st.integers(min_value=0, max_value=14))
    out = []
    for i in range(n):
        art = draw(st.sampled_from(["A", "B", "C", "D"]))
        words = draw(st.lists(st.sampled_from(WORDS), min_size=1, max_size=4, unique=True))
        person = draw(st.sampled_from(PEOPLE))
        parts = [person, *words]
        quantities, dates, offices = [], [], []
        if draw(st.booleans()):
            text, value = draw(st.sampled_from(FIGURES))
            parts += [text, draw(st.sampled_from(NOUNS))]
            quantities.append((text, value, None, "", text.startswith("over")))
        if draw(st.booleans()):
            year = draw(st.sampled_from(YEARS))
            parts += ["since", year]
            dates.append((year, year, True))
        if draw(st.booleans()):
            office = draw(st.sampled_from(OFFICES))
            offices.append((person.split()[-1].lower(), office))
        text = " ".join(parts) + f" ({i})."
        out.append(
            claim(art, text, quantities=quantities, dates=dates, people=[person], lemmas=words,
                  offices=offices, start=i * 200)  # fmt: skip
        )
    return out


@settings(max_examples=60, deadline=None)
@given(claims_strategy(), st.randoms(use_true_random=False))
def test_links_are_symmetric_cross_article_deterministic(claims, rnd: random.Random):
    fams = {"A": "fA", "B": "fA", "C": "fC", "D": "fD"}  # B is a copy of A
    links = link_claims(claims, fams)
    art = {c.id: c.article_id for c in claims}
    both = {(lk.claim_id, lk.other_id, lk.relation) for lk in links}
    assert len(both) == len(links)  # one relation per ordered pair
    for lk in links:
        assert art[lk.claim_id] != art[lk.other_id]
        assert (lk.other_id, lk.claim_id, lk.relation) in both
        assert lk.reason and "\n" not in lk.reason
    assert list(links) == sorted(links, key=lambda lk: (lk.claim_id, lk.relation, lk.other_id))
    shuffled = list(claims)
    rnd.shuffle(shuffled)
    assert link_claims(shuffled, fams) == links

    sug = suggest(claims, links, fams)
    assert set(sug) == {c.id for c in claims}
    for c in claims:
        s = sug[c.id]
        assert s.status in (*STATUSES, "")
        assert s.reason and "\n" not in s.reason
        mine = [lk for lk in links if lk.claim_id == c.id]
        assert (s.status == "disputed") == any(lk.relation == "conflicts" for lk in mine)
        independent = any(
            lk.relation == "supports" and fams[art[lk.other_id]] != fams[c.article_id] for lk in mine
        )
        if s.status != "disputed":
            assert (s.status == "corroborated") == independent
