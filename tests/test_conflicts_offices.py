"""One office, two holders; a place the recogniser missed. A position one person holds at a time, of
one place or organisation ("the German chancellor", "the governor of Qeshm", "the Red Sox owner"), given
to two different people by two claims of one story is a conflict whatever the event; a position of many
("a Greek minister"), one not held now ("former"), or one of no named place ("coach") is none. A city
the small model leaves untagged ("at a Kraft plant in Montevideo", "in Montevideo today" read as a
date) is still where the event happened. Real sentences (ECB+ development topics, one name or place
changed as bench/counterfactual.py does) through the real pipeline: spaCy, claim extraction, linking."""

from __future__ import annotations

from links_fixtures import reasons_from


def _conflicts(nlp, *bodies: str) -> list[str]:
    return reasons_from(nlp, *bodies, relation="conflicts", key="o")


MERKEL = (
    "The German Chancellor, Angela Merkel, fighting accusations of holding up the bailout, said today that "
    "the Greek crisis underlined the need for an overhaul of the EU's fiscal rules."
)
CHANCELLOR = (
    "Fighting accusations of holding up the bailout, {title} {name} said the crisis underlined the need for "
    "an overhaul of EU fiscal rules."
)


def test_one_chancellor_two_names_conflicts(nlp):
    altered = CHANCELLOR.format(title="German Chancellor", name="Robert Hallam")
    assert _conflicts(nlp, altered, MERKEL) == ["chancellor (german): Robert Hallam vs Angela Merkel"]
    assert _conflicts(nlp, CHANCELLOR.format(title="German Chancellor", name="Angela Merkel"), MERKEL) == []


def test_an_office_not_held_now_is_no_conflict(nlp):
    former = CHANCELLOR.format(title="Former German Chancellor", name="Gerhard Schroeder")
    assert _conflicts(nlp, former, MERKEL) == []


def test_which_offices_one_person_holds_at_a_time(nlp):
    from claimdesk.extract.claims import entity_norm
    from claimdesk.extract.roles import sole_offices

    def offices(text: str) -> list[tuple[str, str]]:
        doc = nlp(text)
        return [o for ent in doc.ents if ent.label_ == "PERSON" for o in sole_offices(ent, entity_norm)]

    assert offices("Alaska Gov. Sarah Palin attended the service.") == [("governor", "alaska")]
    assert offices("Greek Finance Minister George Papaconstantinou said the cuts would go on.") == [
        ("finance minister", "greek")
    ]
    assert offices("Greek minister George Papaconstantinou said the cuts would go on.") == []  # one of many
    assert offices("Former Alaska Gov. Sarah Palin attended the service.") == []  # not held now
    assert offices("He met then-Alaska Gov. Sarah Palin at the service.") == []
    assert offices("Coach Maurice Cheeks was fired on Saturday.") == []  # coach of what?


QUAKE = "A 5.9-magnitude earthquake struck Qeshm island in southern Iran on Sunday, killing at least 10 people. "


def test_the_governor_of_a_place_written_two_ways(nlp):
    quoted = (
        "{name}, the governor of Qeshm, was quoted by state-run television as saying rescue teams were "
        "deployed to the affected area."
    )
    told = "Qeshm's governor, Heidar Alishvandi, told the state television that rescue teams have been deployed to the affected areas."
    assert _conflicts(nlp, quoted.format(name="Peter Lindqvist"), QUAKE + told) == [
        "governor (qeshm): Peter Lindqvist vs Heidar Alishvandi"
    ]
    assert _conflicts(nlp, quoted.format(name="Heidar Alishvandi"), QUAKE + told) == []


def test_an_owner_of_one_club_written_shorter(nlp):
    flew = (
        "Boston Red Sox majority owner {name}, CEO Larry Lucchino and general manager Theo Epstein flew to "
        "Texas on Thursday night to meet with free agent Mark Teixeira."
    )
    said = "Red Sox owner John Henry has said, in so many words, that his team will not sign Mark Teixeira."
    assert _conflicts(nlp, flew.format(name="Susan Whitfield"), said) == [
        "owner (boston red sox): Susan Whitfield vs John Henry"
    ]
    assert _conflicts(nlp, flew.format(name="John W. Henry"), said) == []


def test_a_city_the_recogniser_missed_is_where_it_happened(nlp):
    vigil = (
        "Police intervened when more than a hundred people joined in a candlelit vigil in the East Flatbush "
        "neighborhood in Brooklyn, New York, where 16-year-old Kimani Gray was shot."
    )
    shot = (
        "Yesterday, the police explained that officers shot and killed a 16-year-old Kimani Gray in {place} "
        "because he allegedly pointed a gun at the cops."
    )
    assert _conflicts(nlp, shot.format(place="Montevideo"), vigil) == ["Montevideo vs Brooklyn"]
    assert _conflicts(nlp, shot.format(place="Brooklyn"), vigil) == []


def test_a_city_read_as_part_of_a_date_is_still_a_place(nlp):
    defended = (
        "Wladimir Klitschko defended his WBO and IBF heavyweight titles in {place} today with a lopsided "
        "victory over the American Hasim Rahman."
    )
    stopped = (
        "Wladimir Klitschko stopped Hasim Rahman in the seventh round to retain his IBF, IBO and WBO "
        "heavyweight titles at the SAP-Arena in Mannheim, Germany."
    )
    assert _conflicts(nlp, defended.format(place="Montevideo"), stopped) == ["Montevideo vs Germany"]
    assert _conflicts(nlp, defended.format(place="Germany"), stopped) == []


def test_an_abbreviated_title_is_the_same_office(nlp):
    lead = "A fire ripped through the Wasilla Bible Church in Wasilla, Alaska on Friday night. "
    outpost = (
        "The Wasilla Bible Church, the Alaskan church made famous as the religious outpost of Alaska Governor "
        "{name}, was damaged by the fire on Friday."
    )
    attended = "The church, which is attended by Alaska Gov. Sarah Palin, was damaged by a fire on Friday night."
    assert _conflicts(nlp, lead + outpost.format(name="Robert Hallam"), lead + attended) == [
        "governor (alaska): Robert Hallam vs Sarah Palin"
    ]
    assert _conflicts(nlp, lead + outpost.format(name="Sarah Palin"), lead + attended) == []
