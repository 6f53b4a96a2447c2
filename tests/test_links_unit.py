"""claimdesk.extract.links / extract.suggest / extract.families on hand-built claims and articles."""

from __future__ import annotations

import dataclasses
import random
import re

import pytest

from claimdesk.extract import links as L
from claimdesk.extract.families import pair_similarities, source_families
from claimdesk.extract.links import compare_claims, link_claims, link_corpus
from claimdesk.extract.model import Attribution, Linkage, stable_id
from claimdesk.extract.suggest import suggest
from links_fixtures import article, claim

# A small corpus of draft claims in four articles; A2 is a copy of A1 (same family).
DRAFT_A = claim(
    "A1",
    "Putin ordered 160,000 conscripts into the army for the spring draft.",
    quantities=[("160,000", 160000)],
    people=["Vladimir Putin"],
    lemmas=["order", "conscript", "army", "spring", "draft"],
)
DRAFT_COPY = claim(
    "A2",
    "Putin has ordered 160,000 conscripts into the army this spring.",
    quantities=[("160,000", 160000)],
    people=["Vladimir Putin"],
    lemmas=["order", "conscript", "army", "spring"],
)
DRAFT_OTHER = claim(
    "B",
    "Putin ordered 160,000 men for the spring draft.",
    quantities=[("160,000", 160000)],
    people=["Vladimir Putin"],
    lemmas=["order", "man", "spring", "draft", "v:order"],
)
DRAFT_WRONG = claim(
    "C",
    "Putin ordered 150,000 conscripts into the army for the spring draft.",
    quantities=[("150,000", 150000)],
    people=["Vladimir Putin"],
    lemmas=["order", "conscript", "army", "spring", "draft", "v:order"],
)
# unrelated claims, so that IDF means something
NOISE = [
    claim("B", "Finland shares a 1,343 km border with Russia.", quantities=[("1,343 km", 1343, None, "km")]),
    claim("C", "Finland will spend 3% of GDP on defence.", quantities=[("3%", 3, None, "%")]),
    claim("A1", "Talks on a ceasefire in the Black Sea continue in Riyadh."),
    claim("B", "A power plant in Kherson was hit, cutting electricity to 45,000 people.",
          quantities=[("45,000", 45000)]),  # fmt: skip
    claim("D", "Zelenskyy said Russia is preparing new offensives in Sumy and Kharkiv."),
]
FAMILIES = {"A1": "fA", "A2": "fA", "B": "fB", "C": "fC", "D": "fD"}
CORPUS = [DRAFT_A, DRAFT_COPY, DRAFT_OTHER, DRAFT_WRONG, *NOISE]


def _links():
    return link_claims(CORPUS, FAMILIES)


def _pair(links, a, b):
    return [lk for lk in links if lk.claim_id == a.id and lk.other_id == b.id]


# ------------------------------------------------------------------ figures


def test_same_figure_supports_with_checkable_reason():
    links = _links()
    (lk,) = _pair(links, DRAFT_A, DRAFT_OTHER)
    assert lk.relation == "supports"
    assert lk.reason == "same figure: 160,000 conscripts"
    (back,) = _pair(links, DRAFT_OTHER, DRAFT_A)
    assert back.reason == "same figure: 160,000 men"


def test_different_figure_for_the_same_thing_conflicts():
    links = _links()
    (lk,) = _pair(links, DRAFT_A, DRAFT_WRONG)
    assert (lk.relation, lk.reason) == ("conflicts", "160,000 vs 150,000 (conscripts)")
    (back,) = _pair(links, DRAFT_WRONG, DRAFT_A)
    assert (back.relation, back.reason) == ("conflicts", "150,000 vs 160,000 (conscripts)")


def test_figures_far_apart_or_about_other_things_do_not_conflict():
    a = claim("X", "The draft adds 160,000 conscripts, Putin said.", quantities=[("160,000", 160000)],
              people=["Putin"])  # fmt: skip
    far = claim("Y", "The draft adds 16,000 conscripts, Putin said.", quantities=[("16,000", 16000)],
                people=["Putin"])  # fmt: skip
    assert compare_claims(a, far) is None or compare_claims(a, far).relation != "conflicts"
    km = claim("Y", "The draft adds 150,000 km of roads, Putin said.",
               quantities=[("150,000 km", 150000, None, "km")], people=["Putin"])  # fmt: skip
    assert compare_claims(a, km) is None or compare_claims(a, km).relation != "conflicts"


@pytest.mark.parametrize(
    "mine, theirs",
    [
        (("over 100,000", 100000, None, "", True), ("120,000", 120000)),  # inside the lower bound
        (("at least 100,000", 100000, None, "", True), ("over 100,000", 100000, None, "", True)),
        (("nearly 100,000", 100000, None, "", True), ("95,000", 95000)),
        (("about 1.5 million", 1.5e6, None, "", True), ("1.45 million", 1.45e6)),
        (("18-30", 18, 30, "year"), ("25", 25, None, "year")),  # a range contains a value
    ],
)
def test_approximate_figures_and_ranges_are_compatible(mine, theirs):
    a = claim("X", f"Reports counted {mine[0]} soldiers killed in the war.", quantities=[mine])
    b = claim("Y", f"Reports counted {theirs[0]} soldiers killed in the war.", quantities=[theirs])
    verdict = compare_claims(a, b)
    assert verdict is None or verdict.relation == "supports"


def test_approximate_figure_outside_its_bound_conflicts():
    a = claim("X", "Reports counted over 100,000 soldiers killed in the war.",
              quantities=[("over 100,000", 100000, None, "", True)])  # fmt: skip
    b = claim("Y", "Reports counted 80,000 soldiers killed in the war.", quantities=[("80,000", 80000)])
    verdict = compare_claims(a, b)
    assert verdict is not None and verdict.relation == "conflicts"
    assert verdict.reason == "over 100,000 vs 80,000 (soldiers)"


# ------------------------------------------------------------------ dates and titles


def test_since_years_conflict_and_agree():
    base = "Russia's largest conscription effort since {y} is under way"
    a = claim("X", base.format(y=2011), dates=[("2011", "2011", True)], lemmas=["large", "conscription", "effort"])
    b = claim("Y", base.format(y=2015), dates=[("2015", "2015", True)], lemmas=["large", "conscription", "effort"])
    c = claim("Z", base.format(y=2011), dates=[("2011", "2011", True)], lemmas=["large", "conscription", "effort"])
    v = compare_claims(a, b)
    assert (v.relation, v.reason) == ("conflicts", "since 2011 vs since 2015")
    assert compare_claims(a, c).relation == "supports"


def test_dates_conflict_only_when_normalised_and_of_one_grain():
    text = "The spring draft of conscripts will begin on {d} and continue until July 15."
    lem = ["spring", "draft", "conscript", "begin", "continue"]
    apr1 = claim("X", text.format(d="April 1"), dates=[("April 1", "--04-01"), ("July 15", "--07-15")], lemmas=lem)
    apr3 = claim("Y", text.format(d="April 3"), dates=[("April 3", "--04-03"), ("July 15", "--07-15")], lemmas=lem)
    tue = claim("Y", text.format(d="Tuesday"), dates=[("Tuesday", ""), ("July 15", "--07-15")], lemmas=lem)
    months = claim("Z", "The spring draft of conscripts will run from April to July.",
                   dates=[("April to July", "--04/--07")], lemmas=lem)  # fmt: skip
    july = claim("Z", text.format(d="April 1").replace("July 15", "July"),
                 dates=[("April 1", "--04-01"), ("July", "--07")], lemmas=lem)  # fmt: skip
    v = compare_claims(apr1, apr3)
    assert (v.relation, v.reason) == ("conflicts", "April 1 vs April 3")
    for other in (tue, months, july):
        v = compare_claims(apr1, other)
        assert v is None or v.relation == "supports", (other.text, v)


def test_former_president_vs_president_conflicts():
    a = claim("X", "Former President Donald Trump said the talks were slow.", people=["Donald Trump"],
              offices=[("trump", "Former President")])  # fmt: skip
    b = claim("Y", "President Donald Trump met the envoy in Washington.", people=["Donald Trump"],
              offices=[("trump", "President")])  # fmt: skip
    c = claim("Z", "U.S. President Donald Trump spoke to Putin.", people=["Donald Trump"],
              offices=[("trump", "U.S. President")])  # fmt: skip
    v = compare_claims(a, b)
    assert (v.relation, v.reason) == ("conflicts", "former president vs president (Trump)")
    assert compare_claims(b, c) is None  # both current: no conflict (and a title alone is no support)
    links = link_claims([a, b, c, *NOISE], {})
    assert {(lk.claim_id, lk.other_id) for lk in links if lk.relation == "conflicts"} == {
        (a.id, b.id), (b.id, a.id), (a.id, c.id), (c.id, a.id)
    }


# ------------------------------------------------------------------ corpus-level properties


def test_no_link_inside_one_article_and_links_are_symmetric():
    twin = claim("A1", DRAFT_A.text.replace("spring draft", "draft this spring"),
                 quantities=[("160,000", 160000)], people=["Vladimir Putin"],
                 lemmas=["order", "conscript", "army", "spring", "draft"], start=500)  # fmt: skip
    links = link_claims([*CORPUS, twin], FAMILIES)
    art = {c.id: c.article_id for c in [*CORPUS, twin]}
    assert links
    assert all(art[lk.claim_id] != art[lk.other_id] for lk in links)
    pairs = {(lk.claim_id, lk.other_id, lk.relation) for lk in links}
    assert all((b, a, r) in pairs for a, b, r in pairs)


def test_order_of_input_does_not_matter():
    first = _links()
    shuffled = list(CORPUS)
    random.Random(3).shuffle(shuffled)
    assert link_claims(shuffled, FAMILIES) == first
    assert list(first) == sorted(first, key=lambda lk: (lk.claim_id, lk.relation, lk.other_id))


def test_common_keys_do_not_generate_candidates():
    # 40 claims all sharing the lemma "war" and nothing else: no key is rare enough to index
    many = [claim(f"M{i}", f"The war goes on, day {i}.", lemmas=["war"]) for i in range(40)]
    link_claims(many, {})
    assert L.last_stats["pairs_scored"] == 0
    assert L.last_stats["index_keys"] == 0


# ------------------------------------------------------------------ suggestions


def test_suggestions_count_families_and_name_outlets():
    links = _links()
    arts = [
        article("A1", "x", outlet="CNN"), article("A2", "x", outlet="CNN Wire"),
        article("B", "x", outlet="Newsweek"), article("C", "x", outlet="BNN"),
        article("D", "x", outlet="Kyiv Post"),
    ]  # fmt: skip
    sug = suggest(CORPUS, links, FAMILIES, articles=arts)
    s = sug[DRAFT_WRONG.id]
    assert s.status == "disputed"
    assert s.reason.startswith("CNN gives 160,000 (vs 150,000; conscripts)")
    # B's 160,000 men and C's 150,000 conscripts are one count in similar words: disputed too,
    # and the reason counts the other articles that contradict it (none here)
    assert sug[DRAFT_OTHER.id].status == "disputed"
    assert sug[DRAFT_OTHER.id].reason == "BNN gives 150,000 (vs 160,000; men)"
    # A1 is contradicted by C only, although its copy A2 and B support it
    assert sug[DRAFT_A.id].reason == "BNN gives 150,000 (vs 160,000; conscripts)"
    # C is contradicted by three articles of two sources (A2 copies A1: counted once)
    assert s.reason.endswith("(+1 more)")


def test_corroborated_unsourced_and_attributed():
    a = claim("A1", "Russia recorded 2,000 desertions in March.", quantities=[("2,000", 2000)],
              lemmas=["record", "desertion", "march"])  # fmt: skip
    copy = claim("A2", "Russia recorded 2,000 desertions in March, per the report.",
                 quantities=[("2,000", 2000)], lemmas=["record", "desertion", "march"])  # fmt: skip
    other = claim("B", "Some 2,000 desertions were recorded in March.", quantities=[("2,000", 2000)],
                  lemmas=["desertion", "record", "march"])  # fmt: skip
    lone = claim("C", "The Kremlin plans a new mobilisation centre.")
    said = claim("D", "Tsimlyansky says conscripts will not go to Ukraine.",
                 attribution=Attribution("Tsimlyansky", "named", "says"))  # fmt: skip
    claims = [a, copy, other, lone, said, *NOISE]
    fams = {"A1": "fA", "A2": "fA", "B": "fB", "C": "fC", "D": "fD"}
    links = link_claims(claims, fams)
    sug = suggest(claims, links, fams)
    assert sug[a.id].status == "corroborated"
    assert sug[a.id].reason == "same figure: 2,000 desertions — 1 other outlet: B"  # its own copy A2 does not count
    assert sug[lone.id].status == "unsourced"
    assert sug[lone.id].reason == "no other source; no attribution"
    assert (sug[said.id].status, sug[said.id].reason) == ("", "no other source; attributed to Tsimlyansky")
    # supported only by a copy of its own story: not corroborated
    sug2 = suggest([a, copy], link_claims([a, copy], fams), fams)
    assert sug2[a.id].status == "unsourced"
    assert sug2[a.id].reason == "only in a copy of this story (A2); no attribution"


# ------------------------------------------------------------------ families


STORY = (
    "Russian President Vladimir Putin has signed a decree to call up 160,000 men between the ages "
    "of 18 and 30 for military service, the largest spring draft in years, state media reported on "
    "Tuesday. The call-up runs until July 15 and is part of a twice-yearly cycle, officials said. "
    "Conscripts are not supposed to be sent to combat zones, but rights groups say some were."
)
OTHER = (
    "Finland will spend three percent of its economy on defence by 2029 and leave the treaty that "
    "bans land mines, its government said, citing the threat from its eastern neighbour and the "
    "war in Ukraine, which has now lasted more than three years without a ceasefire in sight."
)


def test_copies_form_one_family_with_the_lowest_id():
    copy = STORY.replace("state media reported on Tuesday", "the Kremlin said on Tuesday")
    arts = [article("a2", copy), article("a1", STORY), article("a3", OTHER)]
    fams = source_families(arts)
    assert fams["a1"] == fams["a2"] == stable_id("f", "a1")
    assert fams["a3"] == stable_id("f", "a3")
    sims = pair_similarities(arts)
    assert sims[("a1", "a2")][0] > 0.5 > sims[("a1", "a3")][0]


def test_link_corpus_returns_families_links_and_a_suggestion_per_claim():
    arts = [article(a, STORY if a.startswith("A") else OTHER + a) for a in FAMILIES]
    result = link_corpus(arts, CORPUS)
    assert isinstance(result, Linkage)
    assert set(result.suggestions) == {c.id for c in CORPUS}
    assert result.families["A1"] == result.families["A2"] != result.families["B"]
    assert any(lk.relation == "conflicts" for lk in result.links)


def test_empty_and_tiny_corpora():
    empty = link_corpus([], [])
    assert empty == Linkage((), {}, {})
    one = link_corpus([article("A1", STORY)], [DRAFT_A])
    assert one.links == ()
    assert one.suggestions[DRAFT_A.id].status == "unsourced"
    # a claim of an article that was not given still gets a suggestion (its own family)
    result = link_corpus([article("A1", STORY)], [DRAFT_A, DRAFT_OTHER])
    assert result.suggestions[DRAFT_OTHER.id].status == "corroborated"
    assert result.suggestions[DRAFT_OTHER.id].reason.endswith(" — 1 other outlet: A1")


def test_long_lists_of_sources_are_counted_not_all_named():
    same = [
        claim(a, f"Russia recorded 2,000 desertions in March ({a}).", quantities=[("2,000", 2000)],
              lemmas=["record", "desertion", "march"])  # fmt: skip
        for a in "ABCDEF"
    ]
    claims = [*same, *NOISE]
    links = link_claims(claims, {})
    sug = suggest(claims, links, {})
    assert sug[same[0].id].reason == "same figure: 2,000 desertions — 5 other outlets: B, C, D, 2 more"


def test_disagreeing_figures_are_paired_with_their_nearest_counterpart():
    lem = ["law", "raise", "upper", "limit", "conscription", "age"]
    a = claim("X", "The law raised the upper conscription age limit from 27 to 30 years.",
              quantities=[("27", 27, None, "year"), ("30", 30, None, "year")], lemmas=lem)  # fmt: skip
    b = claim("Y", "The law raised the upper conscription age limit from 22 to 36 years.",
              quantities=[("22", 22, None, "year"), ("36", 36, None, "year")], lemmas=lem)  # fmt: skip
    v = compare_claims(a, b)
    assert (v.relation, v.reason) == ("conflicts", "27 vs 22")
    assert compare_claims(b, a).reason == "22 vs 27"
    # a figure the other claim allows is settled: 2.2 million is "around" 2.39 million
    c = claim("X", "Russia's military grew from 1 million to around 2.2 million personnel.",
              quantities=[("1 million", 1e6), ("around 2.2 million", 2.2e6, None, "", True)],
              lemmas=["military", "grow", "personnel"])  # fmt: skip
    d = claim("Y", "Russia's military will grow to 2.39 million personnel.",
              quantities=[("2.39 million", 2.39e6)], lemmas=["military", "grow", "personnel"])  # fmt: skip
    v = compare_claims(c, d)
    assert v is None or v.relation != "conflicts"


def test_same_links_under_any_hash_seed():
    """Sets of strings iterate in a per-process order: nothing may depend on it."""
    import os
    import subprocess
    import sys
    from pathlib import Path

    probe = (
        "import hashlib, sys; sys.path.insert(0, 'tests')\n"
        "import test_links_unit as T\n"
        "from claimdesk.extract.links import link_claims\n"
        "from claimdesk.extract.suggest import suggest\n"
        "links = link_claims(T.CORPUS, T.FAMILIES)\n"
        "sug = suggest(T.CORPUS, links, T.FAMILIES)\n"
        "print(hashlib.sha1(repr((links, sorted(sug.items()))).encode()).hexdigest())\n"
    )
    root = Path(__file__).resolve().parent.parent
    outs = set()
    for seed in ("1", "2", "3"):
        env = {**os.environ, "PYTHONHASHSEED": seed}
        run = subprocess.run([sys.executable, "-c", probe], cwd=root, env=env, capture_output=True,
                             text=True, check=True)  # fmt: skip
        outs.add(run.stdout.strip())
    assert len(outs) == 1


@pytest.mark.parametrize("office", ["then-President", "President-elect", "the late President", "acting President"])
def test_offices_without_tense_never_conflict(office):
    a = claim("X", "Former President Donald Trump said the talks were slow.", people=["Donald Trump"],
              offices=[("trump", "Former President")])  # fmt: skip
    b = claim("Y", f"{office} Donald Trump said the talks were slow.", people=["Donald Trump"],
              offices=[("trump", office)])  # fmt: skip
    v = compare_claims(a, b)
    assert v is None or v.relation != "conflicts"


def test_two_exact_ranges_must_agree():
    lem = ["draft", "target", "men", "age"]
    a = claim("X", "The draft targets men aged 18 to 30 this spring.", quantities=[("18 to 30", 18, 30, "year")],
              lemmas=lem)  # fmt: skip
    b = claim("Y", "The draft targets men aged 16 to 30 this spring.", quantities=[("16 to 30", 16, 30, "year")],
              lemmas=lem)  # fmt: skip
    c = claim("Z", "The draft targets men aged 18-30 this spring.", quantities=[("18-30", 18, 30, "year")],
              lemmas=lem)  # fmt: skip
    v = compare_claims(a, b)
    assert (v.relation, v.reason) == ("conflicts", "18 to 30 vs 16 to 30")
    assert compare_claims(a, c).reason == "same figure: 18 to 30"


def test_families_check_few_pairs_of_distinct_articles():
    import claimdesk.extract.families as F

    from pathlib import Path

    samples = Path(__file__).resolve().parent.parent / "sample_data"
    text = " ".join(p.read_text(encoding="utf-8") for p in sorted(samples.glob("*.txt")))
    vocab = sorted(set(re.findall(r"[a-z]+", text.lower())))  # ~1,000 words of the story
    weights = [1 / (i + 1) for i in range(len(vocab))]
    rng = random.Random(2)
    arts = [
        article(f"z{i:04d}", " ".join(rng.choices(vocab, weights, k=400))) for i in range(300)
    ]
    fams = F.source_families(arts)
    assert len(set(fams.values())) == 300  # random texts: nobody copies anybody
    all_pairs = 300 * 299 // 2
    assert F.last_stats["candidates"] < 0.05 * all_pairs


def test_nationality_words_are_adjectives_or_the_people_counted():
    from claimdesk.extract.model import Entity

    a = claim("X", "Putin will conscript 160,000 more Russians this spring.", quantities=[("160,000", 160000)],
              people=["Vladimir Putin"], lemmas=["conscript", "spring", "v:conscript"])  # fmt: skip
    a = dataclasses.replace(a, entities=(*a.entities, Entity("Russians", "NORP", "russian")))
    b = claim("Y", "Putin will conscript 150,000 new Russian soldiers this spring.",
              quantities=[("150,000", 150000)], people=["Vladimir Putin"],
              lemmas=["conscript", "spring", "v:conscript"])  # fmt: skip
    b = dataclasses.replace(b, entities=(*b.entities, Entity("Russian", "NORP", "russian")))
    v = compare_claims(a, b)
    assert (v.relation, v.reason) == ("conflicts", "160,000 vs 150,000 (russians)")
    assert compare_claims(b, a).reason == "150,000 vs 160,000 (soldiers)"
