"""Support needs one fact, not only a word of one happening (extract.compare.support_events): the
participants two claims share must take part in the event they share. Real sentences (the sample story,
ECB+ development topics) through the real pipeline: spaCy, claim extraction, linking."""

from __future__ import annotations

from links_fixtures import reasons_from


def _supports(nlp, *bodies: str) -> list[str]:
    return reasons_from(nlp, *bodies, relation="supports", key="s")


# ---------------------------------------------------------------- a verb against another event's noun

FRUSTRATION = (
    "Former U.S. President Donald Trump, who remains an influential voice in American foreign policy, "
    "recently expressed frustration with Putin’s demands."
)
DEMANDED = (
    "Putin, in turn, rejected Trump’s call for an immediate ceasefire and has demanded the lifting of U.S. "
    "sanctions as a precondition for halting hostilities in the Black Sea."
)


def test_a_verb_does_not_support_a_claim_of_another_event_that_names_it_as_a_noun(nlp):
    # the sample story (003 / 001): "demands" is what Trump was frustrated with; Trump and the U.S. are
    # who expressed it, and the demand shares only Putin with the other claim
    assert _supports(nlp, FRUSTRATION, DEMANDED) == []
    assert _supports(nlp, DEMANDED, FRUSTRATION) == []


def test_a_verb_against_its_noun_supports_when_the_shared_people_take_part_in_it(nlp):
    # Hiller is who was charged (the noun's claim's own verb) but also who shot (the verb's claim)
    shot = "Yvonne Hiller shot and killed two co-workers at the Kraft plant in Philadelphia."
    charged = "Yvonne Hiller has been charged with the Kraft shooting in Philadelphia."
    assert _supports(nlp, shot, charged) == ["same event: shoot"]
    arrested = "Police arrested Kenneth Hedges in Houston on Friday."
    fled = "Kenneth Hedges, who fled after his arrest in Houston, faces murder charges."
    assert _supports(nlp, arrested, fled) == ["same event: arrest"]


# ---------------------------------------------------------------- one verb, one shared participant

SENT = (
    "According to South Korean intelligence, North Korea recently sent an additional 3,000 soldiers to "
    "support Russia’s war effort."
)
SOME_SENT = "Past reports indicate that some were sent to the frontlines, particularly in Russia’s border regions."


def test_one_shared_place_is_not_enough_when_only_one_claim_names_who_acted(nlp):
    # the sample story (001 / 002): who sent the 3,000 (North Korea) is named by one claim only; the
    # other's "some were sent" shares only Russia, which takes no part in the sending of the first
    assert _supports(nlp, SENT, SOME_SENT) == []
    assert _supports(nlp, SOME_SENT, SENT) == []


def test_another_persons_death_is_not_the_same_death(nlp):
    # ECB+ dev topic 4: Felt's mentor Hoover died decades before Felt; the one shared name is Felt's
    felt = "Felt died at 12:45 p.m. at his home in Santa Rosa, Calif."
    hoover = (
        "Felt's mentor, the legendary founding director J. Edgar Hoover, had died the month before the "
        "break-in, and Assistant Attorney General L. Patrick Gray III had been named acting director."
    )
    assert _supports(nlp, felt, hoover) == []


def test_one_verb_with_the_same_person_acting_still_supports(nlp):
    a = "Bettie Page died Thursday at age 85 in Los Angeles."
    b = (
        "Page died late yesterday in a Los Angeles hospital after suffering a heart attack, her agent "
        "Mark Roesler said."
    )
    assert _supports(nlp, a, b) == ["same event: die"]


# ---------------------------------------------------------------- one figure, two counted nouns


def _feats(nlp, *sentences: str):
    from claimdesk.extract import links as L
    from claimdesk.extract.claims import extract_claims
    from claimdesk.extract.model import Article, stable_id

    articles = [
        Article(stable_id("a", f"g{i}"), f"g{i}.txt", f"Outlet {i}", f"Story {i}", f"Story {i}\n{text}")
        for i, text in enumerate(sentences)
    ]
    claims = [c for _a, cs in extract_claims(articles, nlp=nlp) for c in cs]
    assert len(claims) == len(sentences), [c.text for c in claims]
    by_text = {f.claim.text: f for f in L._build(claims, {}).feats}
    return [by_text[s] for s in sentences]


def test_a_specific_figure_is_told_whatever_noun_counts_it(nlp):
    from claimdesk.extract.facts import same_thing
    from claimdesk.extract.links import _figure_told

    soldiers, men, hundred, three = _feats(
        nlp,
        "Russian President Vladimir Putin has ordered the conscription of 160,000 additional soldiers.",
        "The recruitment effort aims to draft 160,000 men between the ages of 18 and 30 into the armed forces.",
        "Reports have verified at least 100,000 Russian soldiers killed since the war began.",
        "Three Russian soldiers were killed in the attack on Tuesday, officials said.",
    )
    told = _figure_told(soldiers, men)
    assert told is not None and (told[0].text, told[1].text) == ("160,000", "160,000")
    assert not same_thing(*told)  # the counted nouns differ: outside a same-event group, two things
    assert _figure_told(hundred, hundred) is None  # a round figure says little ("100,000")
    assert _figure_told(three, three) is None  # nor does a small count
