"""Which sentences become claims (issue 8, item 3): headlines that state a fact, sentences that lost their
full stop, datelines out of the way; and what never does: bare figures, fragments, commands, asides in the
first person, quoted opinion. Sentences here are written for these tests (no benchmark text)."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from claims_fixtures import article_from_text, claims_of
from claimdesk.extract.claims import explain, extract_claims
from claimdesk.extract.clean import clean_text
from claimdesk.extract.datelines import is_dateline
from claimdesk.extract.lexicon import is_adjective, verb_form

BODY = "\nThe council met on Monday."  # a body line after the headline under test


def texts(nlp, text: str) -> list[str]:
    return [c.text for c in claims_of(nlp, text)]


# ---------------------------------------------------------------- headlines


@pytest.mark.parametrize(
    "headline",
    [
        "Storm Knocks Out Power To 40,000 Homes In Ohio",
        "Three Killed In Highway Pileup Near Denver",
        "Senate Passes Budget Bill After Marathon Session",
        "Five dead in Kansas tornado",
        "Huge blaze at warehouse in Leeds",
        "Lawyer: Singer checks into clinic in Arizona",
        "Bridge closed by flooding",
        "Mayor to resign after audit",
        "MINERS RESCUED AFTER THREE DAYS UNDERGROUND",
    ],
)
def test_headlines_that_state_a_fact_are_claims(nlp, headline):
    assert texts(nlp, headline + BODY)[0] == headline


@pytest.mark.parametrize(
    "headline",
    [
        "What The New Tariffs Mean For Farmers",
        "Analysis: Why Prices Keep Rising",
        "Opinion: The Senate Got It Wrong On Tariffs",
        "Will The Ceasefire Hold?",
        "Talks May Collapse Within Days",
        "Live: Election Results",
        "Weekend Reading",
        "Put Your Savings Into Gold Now",
    ],
)
def test_headlines_without_a_fact_are_not_claims(nlp, headline):
    assert headline not in texts(nlp, headline + BODY)


def test_a_headline_the_parser_splits_is_one_claim(nlp):
    headline = "Gunman Kills Two At Depot; Police Hunt Suspect"
    claims = claims_of(nlp, headline + BODY)
    assert claims[0].text == headline  # the whole line, whatever sentences the parser made of it
    assert claims[0].start == 0 and claims[0].end == len(headline)


def test_the_headline_after_an_id_line_and_a_dateline(nlp):
    text = clean_text("doc_17\n21 July 2013 Last updated at 11: 11 GMT\nFerry Runs Aground Off Dover\nNo one was hurt.")
    assert "Last updated" not in text.text
    assert "Ferry Runs Aground Off Dover" in texts(nlp, text.text)


@pytest.mark.parametrize(
    "line",
    [
        "21 July 2013 Last updated at 11: 11 GMT",
        "12 January 2010 @ 09: 29 pm",
        "updated 8: 41 p. m. EST, Tue March 3, 2009",
        "May 2, 2013 | 5: 03pm",
        "Posted on Thu Jun 13, 2013 08: 45 AM PDT",
        "26 September 2013, 10: 00 (GMT+05: 00)",
        "Published time: March 12, 2013 02: 03",
        "POSTED: 05 / 02 / 07, 9: 00 PM PDT |",
        "Edited on Mon Dec-19-05 03: 49 PM",
    ],
)
def test_datelines_of_many_sites(line):
    assert is_dateline(line)


@pytest.mark.parametrize("line", ["Putin signed on April 3", "At 9 the army moved", "Updated rules take effect May 2"])
def test_sentences_with_dates_are_not_datelines(line):
    assert not is_dateline(line)


# ---------------------------------------------------------------- lines without a full stop


def test_a_long_sentence_case_line_without_full_stop_is_read_as_a_sentence(nlp):
    line = "Two officers shot and wounded a man outside the station after he fired at a patrol car on Saturday"
    got = texts(nlp, "Headline\nThe city was calm.\n" + line + "\nWhat Comes Next\nWhat the shooting means for the city")
    assert line in got
    assert not [t for t in got if "What" in t]  # a title-cased subhead, a short sentence-case one: never


def test_a_full_stop_before_a_spaced_closing_quote_ends_a_sentence(nlp):
    line = 'The director has pulled out of talks to film a sequel to "The Long Road. "'
    assert line in texts(nlp, "Headline\n" + line)


# ---------------------------------------------------------------- what is never a claim


@pytest.mark.parametrize(
    "line",
    [
        "(14)",
        "When I was 14…",
        "When I was 14, I sold 300 newspapers a day.",
        "Put 10 dollars on the plate in the fridge.",
        "You pay $10 per month for unlimited access to songs.",
        "Expecting total shipments to hit 10 million units.",
        "“The situation is terrible,” she said.",
        "“It looks bleak,” the coach said.",
        "Trust me.",
    ],
)
def test_bare_figures_fragments_commands_asides_and_quoted_opinion_are_not_claims(nlp, line):
    assert texts(nlp, "Headline\n" + line) == []
    if not line.startswith("Expecting"):  # a headline needs no finite verb
        assert texts(nlp, line + "\nThe council met on Monday.") == ["The council met on Monday."]  # as a title
    if line.endswith((".", "…")):  # in a paragraph
        assert texts(nlp, "Headline\nThe council met on Monday. " + line) == ["The council met on Monday."]


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("Prices rose 14% last year.", "statistic"),
        ("“We will rebuild the bridge by 2026,” the mayor said.", "quote"),
        ("“The building was insured for $2 million,” a police spokesman said.", "quote"),
        ("A man has been charged with arson.", "event"),
        ("An 18-year-old man confessed to the killing.", "event"),
        ("The union said Maria Lopez became its first woman leader in 2019.", "event"),
        ("Angela Merkel became the first woman to lead Germany.", "statement"),
        ("Officials did not give a cause of death but noted that he had been ill.", "statement"),
    ],
)
def test_facts_of_the_same_shapes_stay_claims(nlp, line, kind):
    [claim] = claims_of(nlp, "Headline\n" + line)
    assert claim.kind == kind


def test_the_lead_rule_never_revives_an_aside(nlp):
    assert texts(nlp, "Headline\nWhen I was 14, I moved to the city.\nThe council met on Monday.") == [
        "The council met on Monday."
    ]


def test_explain_names_the_rule_for_every_candidate(nlp):
    text = "Storm Hits Coast\n(14).\nThe council met on Monday. Will it rain?"
    article = article_from_text(text)
    rows = explain([(nlp(text), 0)], article)
    got = {text[a:b]: (kind, why) for a, b, kind, why in rows}
    assert got["Storm Hits Coast"] == ("event", "headline states a fact")
    assert got["Will it rain?"] == ("", "question")
    assert all(kind == "" for a, b, kind, _ in rows if text.index("(14).") <= a < text.index("(14).") + 5)
    assert got["The council met on Monday."][0] == "event"
    [(_, claims)] = list(extract_claims([article], nlp=nlp))
    assert [c.text for c in claims] == [t for t, (kind, _) in got.items() if kind]


def test_lexicon_verb_forms():
    assert verb_form("Checks") == ("s", "check")
    assert verb_form("stolen") == ("ed", "steal")
    assert verb_form("clinch") == ("base", "clinch")
    assert verb_form("Tensions") == ("", "")
    assert is_adjective("dead") and not is_adjective("fire")


# ---------------------------------------------------------------- a floor on real news (ECB+ dev topics)

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
from bench import ecbplus as E  # noqa: E402


@pytest.mark.xdist_group("ecbplus")
def test_coverage_floor_on_dev_topics(nlp):
    """Annotated event sentences another document also reports that are claims, on three dev topics
    (never the validation topics). Measured 2026-11-30: 73.9% before issue 8 item 3, 87.3% after, 94.3%
    (498 claims) after the lead, frame and headline rules."""
    topics = ("1", "14", "20")
    assert E.available(), f"ECB+ data missing: {E.GOLD} (see bench/README.md)"
    gold, data = E.load(topics)
    covered: set = set()
    n_claims = 0
    for t in topics:
        articles, claims = E.topic_claims(data, t, nlp=nlp, cache=False)
        n_claims += len(claims)
        covered |= {k for _d, ks in E.mapped(gold, articles, claims).values() for k in ks}
    linkable = {k for p in gold.pairs for k in p}
    coverage = len(covered & linkable) / len(linkable)
    assert coverage >= 0.91, coverage
    assert n_claims <= 560  # 482 claims then: more coverage must not come from claiming everything


@pytest.mark.parametrize(
    ("line", "name"),
    [
        ("The singer checked into a clinic in Utah on Friday, TMZ reports.", "TMZ"),
        ("NBC also reports that the senator has hired a new lawyer.", "NBC"),
    ],
)
def test_an_outlet_in_capitals_is_a_named_source(nlp, line, name):
    [claim] = claims_of(nlp, "Headline\n" + line)
    assert (claim.attribution.name, claim.attribution.kind) == (name, "named")


def test_an_active_perfect_needs_someone_acting(nlp):
    assert texts(nlp, "Headline\nProsecutors have charged two men with the robbery.") == [
        "Prosecutors have charged two men with the robbery."
    ]
    # (not as the lead: the first body sentence reports the story's happening, see extract.claims)
    assert texts(nlp, "Headline" + BODY + "\nThe timing has sparked speculation about a deal.") == [BODY.strip()]


def test_the_month_may_is_no_modal_in_a_headline(nlp):
    headline = "Ministry moved 4,321 reservists to Kursk on 3 May 2024."
    assert texts(nlp, headline + BODY)[0] == headline
    assert texts(nlp, "Troops May Move To Kursk In May" + BODY) == [BODY.strip()]


def test_a_verbless_headline_with_its_place(nlp):
    assert texts(nlp, "Major fire at supermarket" + BODY)[0] == "Major fire at supermarket"
    assert "Weekend reading" not in texts(nlp, "Weekend reading" + BODY)


# ---------------------------------------------------------------- more event sentences, no more junk


@pytest.mark.parametrize(
    "lead",
    [
        "Protesters block the main road into Lagos, stranding commuters.",  # the lead's historic present
        "A gas leak sparks an explosion at a factory in Ohio.",
        "Firefighters are still at the scene of a blaze which gutted a warehouse in Leeds.",  # its past clause
        "Detectives are treating a fire which has destroyed a school in Derby as suspicious.",
    ],
)
def test_the_lead_reports_its_happening_in_the_present_or_in_a_clause(nlp, lead):
    assert texts(nlp, "Headline\n" + lead) == [lead]
    assert lead not in texts(nlp, "Headline" + BODY + "\n" + lead)  # only as the lead


@pytest.mark.parametrize(
    "lead",
    [
        "The world watches anxiously as both sides prepare for the next phase of the conflict.",
        "The talks come at a critical time for the region.",
        "It is a story that will be told for generations.",
    ],
)
def test_a_lead_of_scene_setting_is_still_no_claim(nlp, lead):
    assert texts(nlp, "Headline\n" + lead) == []


@pytest.mark.parametrize(
    ("line", "kind"),
    [
        ("The gunman appeared at the door and shot the guard in the leg.", "event"),  # "and" shares the subject
        ("The singer became famous in a 1998 film and had her own show in 2004.", "event"),
        ("The coroner did not specify the cause of death.", "event"),
        ("It is thought the cables near the station have been cut.", "event"),
        ("It's safe to say the striker exceeded every expectation.", "event"),
        ('"He signed the papers himself-it was his decision."', "event"),  # the statement before the frame
        ("It's official: Maria Lopez is taking over the orchestra.", "statement"),  # the clause decides
        ("Police have launched an inquiry into the crash.", "event"),  # a perfect by an institution
        ("The court has rejected the appeal.", "event"),
    ],
)
def test_more_event_sentences_are_claims(nlp, line, kind):
    [claim] = claims_of(nlp, "Headline" + BODY + "\n" + line)[1:]
    assert (claim.text, claim.kind) == (line, kind)


@pytest.mark.parametrize(
    "line",
    [
        "It is unclear how the cables were damaged.",  # a hedge around an indirect question
        "It is possible that the fire was started deliberately.",
        "It was probably coincidence that the men had worked together.",
        "It seems the war is far from over.",  # the clause a frame carries is judged like any other
        "As far as I know he didn't have a girlfriend.",
        "The fans were delighted, and our defense made some plays.",
    ],
)
def test_hedges_asides_and_opinion_around_a_past_verb_stay_out(nlp, line):
    assert texts(nlp, "Headline" + BODY + "\n" + line) == [BODY.strip()]


@pytest.mark.parametrize(
    "headline",
    [
        "Giants Top Eagles, 20-13",
        "RED SOX MAKE HUGE OFFER TO PITCHER",
        'Dozens "Riot" Over Police Shooting',
        "Flood problems only resolved next week",
    ],
)
def test_headlines_with_an_adverb_a_stop_word_verb_or_in_capitals(nlp, headline):
    assert texts(nlp, headline + BODY)[0] == headline


def test_the_title_after_an_id_line_may_end_with_a_full_stop(nlp):
    text = "3_7news\nThe Senate Passes The Budget Bill.\nThe council met on Monday."
    assert texts(nlp, text) == ["The Senate Passes The Budget Bill.", "The council met on Monday."]
    text = "3_7news\nWeekend reading for you.\nThe council met on Monday."
    assert texts(nlp, text) == ["The council met on Monday."]  # a title, judged as one: no fact


def test_a_question_mark_inside_a_closing_parenthesis_is_no_question(nlp):
    line = "The club offered the striker a five-year deal (worth $90 million?)."
    assert texts(nlp, "Headline" + BODY + "\n" + line)[1:] == [line]


def test_a_standfirst_in_headline_style_states_its_fact(nlp):
    deck = "Police not searching for any other suspects in connection with the fire"
    assert texts(nlp, "Headline" + BODY + "\n" + deck)[1:] == [deck]
    filler = "Investors watching closely as the markets open across the region today"
    assert texts(nlp, "Headline" + BODY + "\n" + filler) == [BODY.strip()]


def test_an_appositive_participle_in_a_headline(nlp):
    headline = "Yvonne Smith, Accused in Office Shooting, Is A Nurse"
    assert texts(nlp, headline + BODY)[0] == headline


def test_a_past_action_in_a_sentence_the_parser_hung_on_a_noun(nlp):
    line = "This despite the fact that, at the last minute, Smith bailed on the deal in a Boston court that was approved by a judge and flew to Miami."
    assert texts(nlp, "Headline" + BODY + "\n" + line)[1:] == [line]


def test_a_dated_state_placed_by_a_name_is_a_fact_a_dated_judgement_is_not(nlp):
    line = "Tom Jones was present at a 1998 meeting with Mayor Anne Smith in Leeds."
    assert texts(nlp, "Headline" + BODY + "\n" + line)[1:] == [line]
    assert texts(nlp, "Headline" + BODY + "\nTom Jones and Bill Brown were terrible on Sunday.") == [BODY.strip()]
