"""One happening told with other verbs ("died" / "passed away", "checked into" / "entered"): when only the
altered value held the two claims together, the other slots (participants, day, place) must still say
"one event", and the one value that differs is the conflict. The unaltered pair never conflicts, and a
look-alike happening (another person's death, another day's arrest) is never one. Real sentences (ECB+
development topics and their news) through the real pipeline: spaCy, claim extraction, linking."""

from __future__ import annotations

from links_fixtures import links_from


def _links(nlp, *bodies: str) -> list[tuple[str, str]]:
    """(relation, reason) of every link from the first article's claims."""
    return [(rel, reason) for rel, reason, _other in links_from(nlp, *bodies, key="k")]


def _conflicts(nlp, *bodies: str) -> list[str]:
    return [reason for rel, reason in _links(nlp, *bodies) if rel == "conflicts"]


DIED = "Tara Reid, the actress, died aged {age} in a Los Angeles hospital on Thursday."
PASSED = "Tara Reid passed away at {age} on Thursday in Los Angeles, her agent Mark Roesler said."


def test_an_age_changed_between_passed_away_and_died_conflicts(nlp):
    assert _conflicts(nlp, DIED.format(age=84), PASSED.format(age=85)) == ["84 vs 85 (age of Tara Reid)"]


def test_the_unaltered_pair_does_not_conflict(nlp):
    assert _conflicts(nlp, DIED.format(age=84), PASSED.format(age=84)) == []


def test_another_persons_death_at_another_age_is_no_conflict(nlp):
    other = "Esther Williams, the swimming star, passed away at 91 on Thursday in Los Angeles."
    assert _conflicts(nlp, DIED.format(age=84), other) == []


def test_a_day_changed_between_passed_away_and_died_conflicts(nlp):
    a = "Esther Williams passed away in Beverly Hills on Thursday at the age of 91, her publicist said."
    b = "Esther Williams died on {day} in Beverly Hills, California, at the age of 91."
    assert _conflicts(nlp, a, b.format(day="Saturday")) == ["Thursday vs Saturday"]
    assert _conflicts(nlp, a, b.format(day="Thursday")) == []


def test_a_source_shared_by_two_happenings_does_not_make_them_one(nlp):
    # the coroner speaks of the finding of the body and of the death: two happenings, two days
    found = "His body was discovered Tuesday by a maid who entered his hotel room in Biloxi, Coroner Gary Hargrove said."
    died = "The Harrison County coroner, Gary Hargrove, told the Associated Press that LaRue is believed to have died Saturday of natural causes."
    assert _conflicts(nlp, found, died) == []


def test_a_number_before_a_month_is_a_day_not_a_count(nlp):
    a = "Seacom said today (10 October 2011) that the total repair time of the current problems will be around twelve days."
    b = "Subsea cable operator Seacom announced today (14 October 2011) that they have restored all their business customers."
    assert not any("(october)" in reason for reason in _conflicts(nlp, a, b))


CHECKED = "Actress Tara Reid checked into the Promises Treatment Center in Malibu on Friday, her publicist said."


def test_a_day_changed_between_checked_into_and_entered_conflicts(nlp):
    entered = "Tara Reid has entered the Promises Treatment Center in Malibu on {day}, according to People magazine."
    assert _conflicts(nlp, CHECKED, entered.format(day="Sunday")) == ["Friday vs Sunday"]
    assert _conflicts(nlp, CHECKED, entered.format(day="Friday")) == []


def test_other_verbs_and_other_people_are_two_happenings_not_a_conflict(nlp):
    # kindred compares days and places; who acted is compared only when the verbs make one event (on a
    # story of many facts, "Putin to conscript ..." / "Vice Admiral Tsimlyansky has assured ..." are two)
    entered = "Actress Maria Castellanos entered well-known Malibu rehab center Promises Treatment Center, reportedly of her own desire."
    checked = "Actress Tara Reid checked into the Malibu rehab center Promises Treatment Center on Friday, her publicist said."
    assert _conflicts(nlp, entered, checked) == []


def test_places_of_a_held_pair_conflict_whatever_their_role_but_never_a_route(nlp):
    fled = "Mr. Nichols fled downtown Atlanta and managed to evade hundreds of police officers overnight."
    again = "He fled downtown {city} and managed to evade hundreds of police officers searching for him overnight."
    assert _conflicts(nlp, fled, again.format(city="Lisbon")) == ["Atlanta vs Lisbon (evade)"]
    assert _conflicts(nlp, fled, again.format(city="Atlanta")) == []
    # a route ("between Italy and Egypt") is no place where it happened
    cut = "Internet and telephone communications were disrupted after three submarine cables between Italy and Egypt were damaged on Friday."
    other = "Three submarine cables were damaged on Friday, cutting the flow of data to India, officials said."
    assert _conflicts(nlp, cut, other) == []


def test_ingest_sets_the_kindred_similarity_and_refuses_one_out_of_range(tmp_path, capsys, monkeypatch):
    import pytest

    import claimdesk.extract.conflicts as C
    from claimdesk.tui.cli import main

    monkeypatch.setattr(C, "KIN_SIM", C.KIN_SIM)
    db = tmp_path / "c.db"
    with pytest.raises(SystemExit) as stop:
        main(["ingest", "x", "--db", str(db), "--kindred-similarity", "1.5", "--quiet"])
    err = [line for line in capsys.readouterr().err.splitlines() if "error:" in line]
    assert stop.value.code == 2 and len(err) == 1 and "--kindred-similarity" in err[0], err
    assert not db.exists()
    src = tmp_path / "in"
    src.mkdir()
    (src / "a.txt").write_text("Story\n" + CHECKED + "\n", encoding="utf-8")
    assert main(["ingest", str(src), "--db", str(db), "--kindred-similarity", "0.9", "--quiet"]) == 0
    assert C.KIN_SIM == 0.9


def test_at_the_most_kindred_similarity_the_day_changed_between_other_verbs_is_left_alone(nlp, monkeypatch):
    import claimdesk.extract.conflicts as C

    monkeypatch.setattr(C, "KIN_SIM", 1.0)
    entered = "Tara Reid has entered the Promises Treatment Center in Malibu on Sunday, according to People magazine."
    assert _conflicts(nlp, CHECKED, entered) == []
