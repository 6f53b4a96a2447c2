"""Who and where in a conflict. One age joins two claims that name different people ("Yvonne Hiller,
43," / "Maria Castellanos, 43,"); two writings of one person ("Fred LaRue" / "Frederick Cheney LaRue",
"Katie" / "Kathryn Jenkin") and an age that belongs to someone else in the sentence ("the 33-year-old
actress's rep Jack Ketsoyan") are no conflict. A weekday both claims write makes one event of one event
verb, and a city the small model takes for a product is still a place. Real sentences (ECB+ development
topics) through the real pipeline: spaCy, claim extraction, linking."""

from __future__ import annotations

from links_fixtures import reasons_from


def _conflicts(nlp, *bodies: str) -> list[str]:
    return reasons_from(nlp, *bodies, relation="conflicts", key="p")


CHARGED = "{name}, 43, is charged with murder for the shooting deaths of two female co-workers in September 2010."
ALTERCATION = (
    "Yvonne Hiller, 43, got into an altercation with the two women and a male co-worker Thursday night, "
    "was taken to the supervisor's office and suspended."
)


def test_one_age_given_to_two_people_conflicts(nlp):
    assert _conflicts(nlp, CHARGED.format(name="Maria Castellanos"), ALTERCATION) == [
        "43-year-old: Maria Castellanos vs Yvonne Hiller"
    ]


def test_the_unaltered_pair_does_not_conflict(nlp):
    assert _conflicts(nlp, CHARGED.format(name="Yvonne Hiller"), ALTERCATION) == []


def test_two_writings_of_one_name_are_one_person(nlp):
    died = "Frederick Cheney LaRue, 75, the shadowy Nixon White House aide, died of coronary artery disease."
    assert _conflicts(nlp, "Fred LaRue, 75, a Watergate figure, has died in Biloxi.", died) == []
    found = "The bodies of Alice McMeekin, 58, and Kathryn Jenkin, 20, were found at a terraced house in Millom."
    sister = "His sister Katie Jenkin, 20, and mother Alice McMeekin, 58, were found dead in Millom."
    assert _conflicts(nlp, sister, found) == []


def test_an_age_of_someone_else_in_the_sentence_is_not_the_speakers(nlp):
    rep = (
        "The 33-year-old actress's rep Jack Ketsoyan told the magazine that she checked into Promises "
        "Treatment Center in Malibu."
    )
    reid = "Tara Reid, 33, checked into Promises Treatment Center in Malibu, People magazine reports."
    assert _conflicts(nlp, rep, reid) == []


# ---- one event: a shared event verb and a participant, a figure or a day named in both


def test_a_weekday_both_name_makes_one_event_whose_places_differ(nlp):
    # no name in common: the day is what says "one death"
    a = "The former FBI official died on Thursday at his home in Nairobi, Kenya, his grandson said."
    b = "He died at 12:45 p.m. on Thursday at his home in Santa Rosa, California, the Post stated."
    assert _conflicts(nlp, a, b) == ["Kenya vs California (die)"]
    assert _conflicts(nlp, a.replace("Nairobi, Kenya", "Santa Rosa, California"), b) == []



def test_a_city_the_model_takes_for_a_product_is_still_a_place(nlp):
    # en_core_web_sm reads "Montevideo" here as a PRODUCT; the gazetteer knows it as a city in Uruguay
    a = "He fled downtown Montevideo and managed to evade hundreds of police officers searching for him overnight."
    b = "Mr. Nichols fled downtown Atlanta and managed to evade hundreds of police officers overnight."
    assert _conflicts(nlp, a, b) == ["Montevideo vs Atlanta (evade)"]


def test_an_age_by_the_family_name_alone_when_the_parser_took_no_person(nlp):
    # "Lopez" is read as a place here; the age after the family name is still this man's age
    guilty = "Andrew Lopez, 20 was found guilty in murder of Zurana Horton."
    faces = (
        "Convicted of second-degree murder and assault in the first degree, Lopez, {age}, faces a potential "
        "sentence of life in prison when he is sentenced by Justice Patricia DiMango."
    )
    assert _conflicts(nlp, guilty, faces.format(age=25)) == ["20 vs 25 (age of Andrew Lopez)"]
    assert _conflicts(nlp, guilty, faces.format(age=20)) == []


COURTROOM = (
    "Nichols was on trial for rape when on March 11, 2005 he overpowered a guard and seized her weapon, "
    "killing in the court room Judge {name} and the court reporter Julie Ann Brandau."
)
BURST = (
    "He burst into the courtroom and shot and killed Superior Court Judge Rowland Barnes, Brandau and "
    "sheriff's Deputy Hoyt Teasley."
)


def test_one_killing_told_in_a_background_clause_names_its_judge(nlp):
    """Only the second sentence tells the killing in its main clause; in the first it hangs off "seized".
    Both have Brandau killed (the same part of one verb, for a participant both name), which makes the
    two one event for who took part: the judge killed differs."""
    assert _conflicts(nlp, COURTROOM.format(name="Robert Hallam"), BURST) == ["judge: Robert Hallam vs Rowland Barnes"]
    assert _conflicts(nlp, COURTROOM.format(name="Rowland Barnes"), BURST) == []
