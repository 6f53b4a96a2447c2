"""One event told with one value changed conflicts, wherever the parse puts that value: a place owning
the noun the event happens in ("In Atlanta's Buckhead neighborhood"), a person who is the subject of a
verb that controls the event verb ("X is expected to direct"), an age the parser did not tie to a person
on one side. Two people of one family name are not one person with two ages. Real sentences (ECB+
development topics and their news), through the real pipeline: spaCy, claim extraction, linking."""

from __future__ import annotations

from links_fixtures import links_from


def _links(nlp, *bodies: str) -> list[tuple[str, str]]:
    """(relation, reason) of every link from the first article's claims."""
    return [(rel, reason) for rel, reason, _other in links_from(nlp, *bodies, key="s")]


def test_a_place_that_owns_where_the_event_happened_conflicts(nlp):
    shooting = "posh Buckhead neighborhood, he shot and killed federal agent David Wilhelm at a house the agent was renovating."
    assert _links(nlp, f"In Atlanta's {shooting}", f"In Nairobi's {shooting}") == [("conflicts", "Atlanta vs Nairobi (kill)")]
    assert _links(nlp, f"In Atlanta's {shooting}", f"In Atlanta's {shooting}")[0][0] == "supports"


def test_the_subject_of_a_controlling_verb_takes_part_in_the_event(nlp):
    links = _links(
        nlp,
        "The Golden Compass director Chris Weitz is expected to direct New Moon, the sequel to the hugely successful film Twilight.",
        "Rumored to be the front runner earlier in the week, Entertainment Weekly has now confirmed that Catherine "
        "Hardwicke will direct the sequel to Twilight, New Moon.",
    )
    assert links == [("conflicts", "direct (subj): Chris Weitz vs Catherine Hardwicke")]


def test_an_age_read_by_the_name_when_the_parser_missed_the_person(nlp):
    links = _links(
        nlp,
        "Reid, 41, was infamously photographed topless on the red carpet when her dress slipped off, exposing one of her breasts.",
        "Reid, 33, earned a reputation as a drunken partier after famously being photographed on a red carpet with her "
        "breast exposed, apparently unaware that her dress had slipped.",
    )
    assert ("conflicts", "41 vs 33 (age of Reid)") in links


def test_two_people_of_one_family_name_are_not_one_age(nlp):
    links = _links(
        nlp,
        "John Jenkin, 23 and from Cumbria, has been charged with the murder of his mother and sister in Millom.",
        "His sister Katie Jenkin, 20, and mother Alice McMeekin, 58, were found dead in a home in Millom, Cumbria.",
    )
    assert not [reason for rel, reason in links if rel == "conflicts"]


def test_a_small_count_is_not_settled_by_a_count_of_something_else(nlp):
    # "a handful of people" may be three people; it says nothing of how many children there were
    links = _links(
        nlp,
        "No one was injured in the fire, which was presumably set Friday night while a handful of people, including "
        "three children, were inside, according to Fire Marshal James Steffen.",
        "No one was injured in the fire, which was set Friday night while a handful of people, including two "
        "children, were inside, according to the Central Mat-Su Fire Department.",
    )
    assert links == [("conflicts", "three vs two (children)")]


def test_a_team_read_as_an_organisation_is_still_the_place_of_the_game(nlp):
    sprain = "appeared to be on the mend, but he sprained the knee in last Thursday's 27-24 overtime loss at"
    links = _links(nlp, f"He {sprain} Oslo and was limited to only 30 yards on six carries.",
                   f"Bush {sprain} Chicago and was limited to only 30 yards on six carries.")  # fmt: skip
    assert [rel for rel, _ in links] == ["conflicts"] and links[0][1].startswith("Oslo vs Chicago")
