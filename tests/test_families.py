"""Source families (extract/families.py): real copies merged, independent reports not, every pair exact."""

from __future__ import annotations

import itertools
import json
from pathlib import Path

from hypothesis import given, settings
from hypothesis import strategies as st

import claimdesk.extract.families as F
from claimdesk.extract.model import Article, stable_id

GOLD = json.loads((Path(__file__).parent / "gold" / "family_pairs.json").read_text(encoding="utf-8"))


def _article(doc: str) -> Article:
    d = GOLD["docs"][doc]
    return Article(id=doc, source=f"{doc}.jsonl", outlet=d["outlet"], title="", text=d["text"])


def test_wire_copies_are_one_family_and_independent_reports_of_one_event_are_not():
    for a, b, label in GOLD["pairs"]:
        fams = F.source_families([_article(a), _article(b)])
        same = fams[a] == fams[b]
        assert same == (label != "independent"), (a, b, label, F.pair_similarities([_article(a), _article(b)]))


def test_the_old_measure_merged_two_short_independent_reports_the_new_one_keeps_them_apart():
    # BBC, 2013-07-22 and 23: the arson charge, then the court appearance; 90 words each, no 6-word run
    # in common. Names and the place gave Jaccard 0.102 over 3-shingles (merged at 0.06 before).
    a, b = _article("14_2ecbplus"), _article("14_3ecbplus")
    cont, _jac = F.pair_similarities([a, b])[("14_2ecbplus", "14_3ecbplus")]
    assert cont < F.COPY_THRESHOLD / 2


def test_a_short_copy_inside_a_long_article_is_a_copy():
    # AP's Gigante obituary: 156 words republished inside a 543-word version
    long, short = _article("26_2ecbplus"), _article("26_11ecbplus")
    cont, jac = F.pair_similarities([long, short])[("26_11ecbplus", "26_2ecbplus")]
    assert cont >= 2 * F.COPY_THRESHOLD and jac < cont


def test_shared_quotes_do_not_make_a_copy():
    # both outlets carry the publicist's statement word for word; nothing else is shared
    a, b = _article("1_2ecb"), _article("1_17ecb")
    quote = "We appreciate your respect to her and her family's privacy at this time"
    assert quote in a.text and quote in b.text
    assert F.containment(F.shingles(a.text), F.shingles(b.text)) < F.COPY_THRESHOLD / 2
    # the same sentence outside quotation marks is the writer's own and counts
    assert F.shingles(quote) and not F.shingles(f'"{quote}," he said.') & F.shingles(quote)


def test_the_threshold_is_settable_and_families_are_named_after_their_lowest_article():
    a, b = _article("24_7ecbplus"), _article("24_6ecbplus")  # a rewrite taking over AFP's paragraphs
    cont = F.containment(F.shingles(a.text), F.shingles(b.text))
    assert F.source_families([a, b], threshold=cont)[a.id] == stable_id("f", "24_6ecbplus")
    apart = F.source_families([a, b], threshold=min(1.0, cont + 0.01))
    assert apart[a.id] != apart[b.id]


def _brute(arts: list[Article], threshold: float) -> set[frozenset[str]]:
    grams = {a.id: F.shingles(a.text) for a in arts}
    parent = {i: i for i in grams}

    def find(x):
        while parent[x] != x:
            x = parent[x]
        return x

    for x, y in itertools.combinations(sorted(grams), 2):
        gx, gy = grams[x], grams[y]
        if gx and gy and len(gx & gy) >= F._needed(min(len(gx), len(gy)), threshold):
            rx, ry = find(x), find(y)
            parent[max(rx, ry)] = min(rx, ry)
    groups: dict[str, set[str]] = {}
    for i in grams:
        groups.setdefault(find(i), set()).add(i)
    return {frozenset(g) for g in groups.values()}


@st.composite
def _corpora(draw):
    """Articles of a small vocabulary, many of them spliced from passages of earlier ones."""
    vocab = [f"w{i}" for i in range(draw(st.sampled_from([4, 30, 300])))]
    words = st.lists(st.sampled_from(vocab), min_size=0, max_size=120)
    texts: list[list[str]] = []
    for _ in range(draw(st.integers(2, 40))):
        own = draw(words)
        if texts and draw(st.booleans()):
            src = texts[draw(st.integers(0, len(texts) - 1))]
            start = draw(st.integers(0, max(0, len(src) - 1)))
            passage = src[start : start + draw(st.integers(0, 80))]
            at = draw(st.integers(0, len(own)))
            own = own[:at] + passage + own[at:]
        if texts and draw(st.integers(0, 5)) == 0:  # a verbatim copy
            own = list(texts[draw(st.integers(0, len(texts) - 1))])
        texts.append(own)
    return [Article(id=f"a{i:03d}", source="", outlet="", title="", text=" ".join(t)) for i, t in enumerate(texts)]


@settings(max_examples=40, deadline=None)
@given(_corpora(), st.sampled_from([0.01, 0.1, 0.34, 0.9]))
def test_families_are_exactly_the_groups_of_all_pairs_over_the_threshold(arts, threshold):
    fams = F.source_families(arts, threshold)
    groups: dict[str, set[str]] = {}
    for a, f in fams.items():
        groups.setdefault(f, set()).add(a)
    assert {frozenset(g) for g in groups.values()} == _brute(arts, threshold)
    assert F.source_families(list(reversed(arts)), threshold) == fams
