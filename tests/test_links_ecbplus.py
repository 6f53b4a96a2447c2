"""The linker on real multi-outlet news it was not written on: a few ECB+ development topics.

ECB+ (../shared/benchdata/ecbplus/, see its SOURCE.md) has, per topic, two look-alike events (two
firings, two arrests) reported by many outlets, with gold cross-document event coreference on
sentences. These topics are NOT the validation topics `make eval` reports on (2, 5, 12, 18, 21, 23,
34, 35). Quality floors only (no timing): they hold with margin today and fail if the linker falls
back towards linking story vocabulary or look-alike events.

Counterfactuals: in a supporting pair where both claims give the same plain count, the count of one
claim is changed (text and value); the altered pair must then conflict, and no unaltered pair that
the linker supports may be a conflict.
"""

from __future__ import annotations

import dataclasses
import re
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import ecbplus as E  # noqa: E402

from claimdesk.extract.embed import vectors as embed_vectors  # noqa: E402
from claimdesk.extract import events  # noqa: E402
from claimdesk.extract.families import source_families  # noqa: E402
from claimdesk.extract.links import link_claims, link_corpus  # noqa: E402

TOPICS = ("1", "14", "20")  # Tara Reid / Lindsay Lohan rehab; two Waitrose fires; two Iran earthquakes

pytestmark = pytest.mark.xdist_group("ecbplus")


@pytest.fixture(scope="module")
def topics(nlp):
    assert E.available(), f"ECB+ data missing: {E.GOLD} (see bench/README.md)"
    gold, data = E.load(TOPICS)
    return gold, {t: E.topic_claims(data, t, nlp=nlp, cache=False) for t in TOPICS}


def test_quality_floors_on_dev_topics(topics):
    gold, parsed = topics
    sup: set = set()
    covered: set = set()
    for articles, claims in parsed.values():
        where = E.mapped(gold, articles, claims)
        sup |= E.pairs_of(link_corpus(articles, claims).links, where)
        covered |= {k for _d, ks in where.values() for k in ks}
    s = E._tools().score(gold, sup)
    linkable = {k for p in gold.pairs for k in p}
    coverage = len(covered & linkable) / len(linkable)
    print(
        f"\nECB+ topics {','.join(TOPICS)}: P={s['P']:.3f} R={s['R']:.3f} sentence R={s['sent_R']:.3f} "
        f"look-alike {100 * s['cross_fp_share']:.1f}% of {s['pred']}; coverage {100 * coverage:.1f}%"
    )
    # measured 2026-11-30 (afternoon, same-event groups take claims told in other words, extract.links
    # _nominal): P 0.856, R 0.227, sentence R 0.694, look-alike 1.4% of 431, coverage 89.8%
    # (morning: P 0.913 R 0.141 sentence R 0.490 on the claims of then; sentence vectors off, the default)
    assert s["pred"] >= 300
    assert s["P"] >= 0.85
    assert s["R"] >= 0.20
    assert s["sent_R"] >= 0.62
    assert s["cross_fp_share"] <= 0.03
    assert coverage >= 0.70


def _link(parsed, topic: str, start_a: str, start_b: str):
    """The link a -> b with sentence vectors on (extract.events, ``VECTOR_SIM`` 0.40)."""
    articles, claims = parsed[topic]
    a = next(c for c in claims if c.text.startswith(start_a))
    b = next(c for c in claims if c.text.startswith(start_b))
    assert events.VECTOR_SIM == 0.40
    links = link_claims(claims, source_families(articles), semantic=True)
    return a, b, next((lk for lk in links if lk.claim_id == a.id and lk.other_id == b.id), None)


def test_one_event_told_in_other_words_is_linked(topics):
    """No shared event verb ("damaged" / "broke out"): the sentence
    vectors propose the pair, the shared place / person and agreeing figures let it stand."""
    _gold, parsed = topics
    _a, _b, link = _link(
        parsed, "14", "A FIRE has badly damaged the Waitrose supermarket in Wellington",
        "A LARGE fire broke out at the Waitrose supermarket in Wellington",
    )  # fmt: skip
    assert link is not None and link.relation == "supports", link
    assert link.reason.startswith("same event: ") and "wellington" in link.reason


def test_a_look_alike_event_is_not_linked_however_close_its_wording(topics):
    """Another Waitrose fire, in another county (sentence-vector cosine 0.84 with the Wellington fire)."""
    _gold, parsed = topics
    a, b, link = _link(
        parsed, "14", "A FIRE has badly damaged the Waitrose supermarket in Wellington",
        "A Waitrose supermarket in Surrey has been destroyed in a fire.",
    )  # fmt: skip
    assert float(embed_vectors([a.text, b.text]).prod(axis=0).sum()) > 0.8  # the vectors alone would link them
    assert link is None, link


def test_a_headline_without_an_event_verb_joins_its_story_main_event(topics):
    """The tagger reads a title-cased headline's verb as a proper noun, so the headline has no event verb:
    as one of its article's first claims it joins the story's main-event group, and links to the group's
    lead that tells the same check-in (no figure or day of its own in the headline)."""
    _gold, parsed = topics
    articles, claims = parsed["1"]
    head = next(c for c in claims if c.text == "Lindsay Lohan Checks Into Rehab at Betty Ford Center")
    lead = next(c for c in claims if c.text.startswith("Lindsay Lohan checked into California's Betty Ford"))
    links = link_claims(claims, source_families(articles))  # the default: no sentence vectors
    both = {(lk.claim_id, lk.other_id): lk for lk in links}
    for x, y in ((head, lead), (lead, head)):
        link = both.get((x.id, y.id))
        assert link is not None and link.relation == "supports", link
        assert link.reason.startswith("same event: ") and "betty" in link.reason


def test_two_happenings_of_one_protagonist_are_not_one_event(topics):
    """Two leads of one story that share only names (Lohan, Betty Ford) tell two of its happenings: the
    check-in and the move out a month later. Before `_more_than_names` the same-event group linked them
    ("same event: betty, ford"); the check-in headline still links to the lead that tells the check-in
    (they share "rehab", a word outside every name)."""
    from claimdesk.extract.links import _more_than_names
    from claimdesk.extract.compare import features

    _gold, parsed = topics
    articles, claims = parsed["1"]
    checks_in = next(c for c in claims if c.text == "Lindsay Lohan checks into Betty Ford Center")
    moves_out = next(c for c in claims if c.text.startswith("Lindsay Lohan has left the Betty Ford Center and is moving"))
    head = next(c for c in claims if c.text == "Lindsay Lohan Checks Into Rehab at Betty Ford Center")
    lead = next(c for c in claims if c.text.startswith("Lindsay Lohan checked into California's Betty Ford"))
    links = {(lk.claim_id, lk.other_id): lk for lk in link_claims(claims, source_families(articles))}
    assert (checks_in.id, moves_out.id) not in links and (moves_out.id, checks_in.id) not in links
    assert links[(head.id, lead.id)].relation == "supports"
    f = {c.id: features(i, c, c.article_id) for i, c in enumerate((checks_in, moves_out, head, lead))}
    assert not _more_than_names(f[checks_in.id], f[moves_out.id])
    assert _more_than_names(f[head.id], f[lead.id])


def test_a_retelling_that_gives_a_persons_age_adds_no_fact_of_its_own(nlp):
    """ECB+ dev topic 4: the headline "... Actress Dies Aged 91." and "Esther Williams, ... has died." tell
    one death; the age is about the person, not the happening, so it does not keep the two apart (before
    `_age`, a figure only one side gave did). A count that is not an age still does."""
    from claimdesk.extract.compare import features
    from claimdesk.extract.links import _nominal

    gold, data = E.load(("4",))
    articles, claims = E.topic_claims(data, "4", nlp=nlp)
    head = next(c for c in claims if c.text.endswith("Swimmer And Actress Dies Aged 91."))
    died = next(c for c in claims if c.text == "Esther Williams, swimming champion, actress, and pin-up icon, has died.")
    links = {(lk.claim_id, lk.other_id): lk for lk in link_claims(claims, source_families(articles))}
    assert links[(head.id, died.id)].relation == "supports", links.get((head.id, died.id))
    assert links[(died.id, head.id)].relation == "supports"
    a, b = features(0, head, "x"), features(1, died, "y")
    assert _nominal(a, b) and _nominal(b, a)
    days = dataclasses.replace(head, text=head.text.replace("Aged 91", "After 91 Days"))
    assert not _nominal(features(0, days, "x"), b)  # 91 days is a fact of its own


def test_retellings_need_the_shared_wording_the_user_sets(topics, monkeypatch, tmp_path):
    """`ingest --retelling-similarity` sets NOMINAL_SIM for the run; at 1.0 (the most wording two claims
    can share) the headline above tells its check-in too differently from the lead to be linked."""
    import claimdesk.extract.links as L
    from claimdesk.tui.cli import main

    monkeypatch.setattr(L, "NOMINAL_SIM", L.NOMINAL_SIM)
    db = tmp_path / "c.db"
    sample = Path(__file__).resolve().parent.parent / "sample_data"
    assert main(["ingest", str(sample), "--db", str(db), "--retelling-similarity", "1", "--quiet"]) == 0
    assert L.NOMINAL_SIM == 1.0
    _gold, parsed = topics
    articles, claims = parsed["1"]
    head = next(c for c in claims if c.text == "Lindsay Lohan Checks Into Rehab at Betty Ford Center")
    lead = next(c for c in claims if c.text.startswith("Lindsay Lohan checked into California's Betty Ford"))
    links = link_claims(claims, source_families(articles))
    assert not any(lk.claim_id == head.id and lk.other_id == lead.id for lk in links)


@pytest.mark.parametrize("option", ["--retelling-similarity", "--lead-similarity"])
@pytest.mark.parametrize("value", ["0", "1.5", "many"])
def test_ingest_refuses_a_similarity_out_of_range_in_one_line(tmp_path, capsys, option, value):
    from claimdesk.tui.cli import main

    db = tmp_path / "c.db"
    with pytest.raises(SystemExit) as stop:
        main(["ingest", "x", "--db", str(db), option, value, "--quiet"])
    err = [line for line in capsys.readouterr().err.splitlines() if "error:" in line]
    assert stop.value.code == 2 and len(err) == 1 and option in err[0], err
    assert not db.exists()


def test_leads_need_the_shared_wording_the_user_sets(topics, monkeypatch, tmp_path):
    """`ingest --lead-similarity` sets LEAD_SIM for the run; at 1.0 two leads with different event verbs
    ("checked into" / "entered" Promises) no longer link on wording alone; at the default they do."""
    import claimdesk.extract.links as L
    from claimdesk.tui.cli import main

    _gold, parsed = topics
    articles, claims = parsed["1"]
    a = next(c for c in claims if c.text.startswith("Actress Tara Reid entered well-known Malibu rehab center"))
    b = next(c for c in claims if c.text.startswith("The American Pie actress and velvet-rope fixture has checked"))
    pair = {(a.id, b.id), (b.id, a.id)}

    def linked() -> bool:
        return any((lk.claim_id, lk.other_id) in pair for lk in link_claims(claims, source_families(articles)))

    assert linked()
    monkeypatch.setattr(L, "LEAD_SIM", L.LEAD_SIM)
    sample = Path(__file__).resolve().parent.parent / "sample_data"
    assert main(["ingest", str(sample), "--db", str(tmp_path / "c.db"), "--lead-similarity", "1", "--quiet"]) == 0
    assert L.LEAD_SIM == 1.0
    assert not linked()


def _altered(claim, q, new_value: int):
    text = str(new_value)
    rel = q.start - claim.start
    new_text = claim.text[:rel] + text + claim.text[rel + len(q.text) :]
    shift = len(text) - len(q.text)
    quantities = tuple(
        dataclasses.replace(q, text=text, value=float(new_value), end=q.end + shift) if o is q
        else (dataclasses.replace(o, start=o.start + shift, end=o.end + shift) if o.start > q.start else o)
        for o in claim.quantities
    )  # fmt: skip
    return dataclasses.replace(claim, text=new_text, end=claim.end + shift, quantities=quantities)


def test_counterfactual_figures_conflict_and_originals_do_not(topics):
    _gold, parsed = topics
    tried = found = false_conflicts = supported = 0
    for articles, claims in parsed.values():
        links = link_corpus(articles, claims).links
        by_id = {c.id: c for c in claims}
        rel = {(lk.claim_id, lk.other_id): lk.relation for lk in links}
        supported += sum(1 for lk in links if lk.relation == "supports")
        false_conflicts += sum(
            1 for lk in links if lk.relation == "conflicts" and rel.get((lk.other_id, lk.claim_id)) != "conflicts"
        )
        pairs = sorted({tuple(sorted((lk.claim_id, lk.other_id))) for lk in links if lk.relation == "supports"})
        for a_id, b_id in pairs:
            a, b = by_id[a_id], by_id[b_id]
            shared = [
                q for q in a.quantities
                if q.unit == "" and q.high is None and not q.approx and q.text.isdigit() and 1 <= q.value < 10_000
                and not q.text.startswith("0") and not re.match(r"\s\d", a.text[q.end - a.start :])  # no phone number
                and any(o.value == q.value and o.unit == "" and not o.approx for o in b.quantities)
            ]  # fmt: skip
            if not shared or tried >= 40:
                continue
            q = shared[0]
            changed = _altered(a, q, int(q.value) + max(1, int(q.value) // 4))
            assert changed.text != a.text
            again = link_corpus(articles, [changed if c.id == a.id else c for c in claims]).links
            tried += 1
            found += any(
                lk.claim_id == a.id and lk.other_id == b.id and lk.relation == "conflicts" for lk in again
            )
    print(f"\ncounterfactual figures: {found}/{tried} altered pairs conflict; supporting links {supported}")
    # measured 2026-11-30: 18 of 40 (the goal is 90%: not reached, see bench/README.md)
    assert tried >= 20
    assert found >= 0.4 * tried
    assert false_conflicts == 0  # a conflict is always mutual
