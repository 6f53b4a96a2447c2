"""Quantities and dates: the normaliser on real sentences of sample_data, and its properties."""

from __future__ import annotations

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from claimdesk.extract.quantities import normalise_date, parse_quantities


def _q(text: str) -> list[tuple[str, float, float | None, str, bool]]:
    return [(q.text, q.value, q.high, q.unit, q.approx) for q in parse_quantities(text)]


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        (
            "Russian President Vladimir Putin has signed a decree to mobilize 160,000 men between the ages of 18 "
            "and 30 into the country’s armed forces.",
            [("160,000", 160000, None, "", False), ("between the ages of 18 and 30", 18, 30, "year", False)],
        ),
        (
            "Russia has announced its largest military draft in over a decade, with 160,000 men aged 18-30 called up",
            [("160,000", 160000, None, "", False), ("18-30", 18, 30, "year", False)],
        ),
        (
            "The latest conscription effort targets men aged 18 to 30, following last year’s controversial law that "
            "raised the upper limit from 27 to 30.",
            [("18 to 30", 18, 30, "year", False), ("27", 27, None, "", False), ("30", 30, None, "", False)],
        ),
        (
            "The draft, which targets Russian men between 18 and 30 years old, will begin on April 1 and continue "
            "until July 15.",
            [("between 18 and 30 years old", 18, 30, "year", False)],
        ),
        (
            "increase the overall size of Russia’s military to 2.39 million personnel, including 1.5 million active "
            "servicemen—a boost of 180,000 soldiers over the next three years.",
            [("2.39 million", 2390000, None, "", False), ("1.5 million", 1500000, None, "", False),
             ("180,000", 180000, None, "", False)],
        ),
        (
            "with Finland now sharing a 1,343 km (834-mile) border with Russia.",
            [("1,343 km", 1343, None, "km", False), ("834-mile", 834, None, "mile", False)],
        ),
        (
            "Finland also pledged to increase defense spending to 3% of GDP, up from 2.4% in 2024.",
            [("3%", 3, None, "%", False), ("2.4%", 2.4, None, "%", False)],
        ),
        (
            "a rise of more than 15,000 compared to three years ago, according to Russian state media outlet TASS.",
            [("more than 15,000", 15000, None, "", True)],
        ),
        (
            "Independent Russian journalists have confirmed the names of over 100,000 Russian soldiers killed",
            [("over 100,000", 100000, None, "", True)],
        ),
        (
            "have verified at least 100,000 Russian soldiers killed, with estimates suggesting the actual death toll "
            "could be twice as high.",
            [("at least 100,000", 100000, None, "", True)],
        ),
        ("expand Russia’s military to nearly 2.39 million personnel", [("nearly 2.39 million", 2390000, None, "", True)]),
        (
            "from 1 million troops three years ago to approximately 1.5 million today.",
            [("1 million", 1000000, None, "", False), ("approximately 1.5 million", 1500000, None, "", True)],
        ),
        (
            "the real number is much higher—approaching one million dead and wounded.",
            [("approaching one million", 1000000, None, "", True)],
        ),
        (
            "over 46,000 soldiers have died, with another 380,000 wounded",
            [("over 46,000", 46000, None, "", True), ("380,000", 380000, None, "", False)],
        ),
        ("cutting electricity to 45,000 people", [("45,000", 45000, None, "", False)]),
        ("North Korea recently sent an additional 3,000 soldiers", [("3,000", 3000, None, "", False)]),
        ("placed Russian military casualties at over 768,000 since", [("over 768,000", 768000, None, "", True)]),
    ],
)
def test_quantities_in_sample_sentences(sentence, expected):
    assert _q(sentence) == expected


@pytest.mark.parametrize(
    "sentence",
    [
        "marking Russia’s largest conscription effort since 2011.",  # a year
        "since Moscow’s full-scale invasion of Ukraine in 2022",
        "will begin on April 1 and continue until July 15.",  # day numbers
        "Writer: paolo bibat, Apr 3",
        "In one of the largest conscription efforts in years",  # "one of"
        "“Putin believes his troops will ‘finish’ the Ukrainian army,” one Russian military insider stated.",
        "the actual death toll could be twice as high.",  # a ratio: skipped
        "a boost over the next three years",  # a duration
        "from three years ago",
        "its largest military draft in over a decade",
        "the talks resumed at 10:30 on 3/4/2025",  # a time and a numeric date
        "version 1.2.3 of the app",
    ],
)
def test_not_quantities(sentence):
    assert _q(sentence) == []


@pytest.mark.parametrize(
    ("sentence", "expected"),
    [
        ("including thousands from North Korea", [("thousands", 2000.0, 9999.0, "", True)]),
        ("About a dozen people were arrested", [("About a dozen", 12.0, None, "", True)]),
        ("Dozens of homes were destroyed", [("Dozens", 24.0, 99.0, "", True)]),
        ("hundreds of thousands of people fled", [("hundreds of thousands", 200000.0, 999999.0, "", True)]),
        ("a handful of protesters stayed", [("a handful", 2.0, 6.0, "", True)]),
        # number words through text2num, compounds included
        ("Twenty-five people were hurt and eight died", [("Twenty-five", 25.0, None, "", False), ("eight", 8.0, None, "", False)]),
        ("two hundred and fifty soldiers", [("two hundred and fifty", 250.0, None, "", False)]),
    ],
)
def test_vague_amounts_and_number_words(sentence, expected):
    assert _q(sentence) == expected


def test_money_and_offsets():
    text = "The aid package of $1.5 billion was approved."
    [q] = parse_quantities(text, offset=100)
    assert (q.value, q.unit, q.start, q.end) == (1.5e9, "$", 100 + text.index("$"), 100 + text.index(" was"))


@pytest.mark.parametrize(
    ("text", "value"),
    [
        ("April 1", "--04-01"),
        ("July 15", "--07-15"),
        ("Apr 3", "--04-03"),
        ("December 2024", "2024-12"),
        ("August 2024", "2024-08"),
        ("2022", "2022"),
        ("since 2011", "2011"),
        ("July 15, 2025", "2025-07-15"),
        ("1 April 2025", "2025-04-01"),
        ("between April and July", "--04/--07"),
        ("April to July", "--04/--07"),
        ("Tuesday", ""),
        ("last August", ""),
        ("three years ago", ""),
        ("this week", ""),
        ("April 45", ""),
    ],
)
def test_normalise_date(text, value):
    assert normalise_date(text) == value


# ---------------------------------------------------------------- properties


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=0, max_value=10**12))
def test_formatted_integers_parse_back(n):
    text = f"{n:,}"  # 1,000 and up carry a comma, so none reads as a year
    [q] = parse_quantities(f"They counted {text} soldiers.")
    assert q.value == n and q.text == text and not q.approx and q.unit == ""


@settings(max_examples=100, deadline=None)
@given(st.integers(min_value=1800, max_value=2199))
def test_bare_years_are_not_quantities(year):
    assert parse_quantities(f"It began in {year} and ended.") == []


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=999), st.sampled_from(["thousand", "million", "billion"]))
def test_scaled_numbers(n, scale):
    factor = {"thousand": 1e3, "million": 1e6, "billion": 1e9}[scale]
    [q] = parse_quantities(f"nearly {n} {scale} people")
    assert q.value == n * factor and q.approx and q.text == f"nearly {n} {scale}"


@settings(max_examples=300, deadline=None)
@given(
    st.lists(
        st.one_of(
            st.text(alphabet="abc XYZ,.-–%$()’“”\n", max_size=8),
            st.integers(min_value=0, max_value=10**7).map(lambda n: f"{n:,}"),
            st.floats(min_value=0, max_value=1e4, allow_nan=False).map(lambda f: f"{f:.1f}%"),
            st.sampled_from(["over ", "nearly ", " million", " km", " miles", "aged 18-30", "between 5 and 9", "in 2024"]),
        ),
        max_size=12,
    ),
    st.integers(min_value=0, max_value=5000),
)
def test_spans_always_slice_to_the_text(parts, offset):
    text = "".join(parts)
    padded = " " * offset + text
    for q in parse_quantities(text, offset):
        assert padded[q.start : q.end] == q.text
        assert q.text.strip() == q.text and q.text
        assert q.high is None or q.high > q.value


@settings(max_examples=200, deadline=None)
@given(st.integers(min_value=1, max_value=12), st.integers(min_value=1, max_value=28), st.integers(1900, 2100))
def test_month_day_year_round_trip(month, day, year):
    import calendar

    name = calendar.month_name[month]
    assert normalise_date(f"{name} {day}, {year}") == f"{year}-{month:02d}-{day:02d}"
    assert normalise_date(f"{name} {day}") == f"--{month:02d}-{day:02d}"
    assert normalise_date(f"{name} {year}") == f"{year}-{month:02d}"
    assert normalise_date(calendar.month_abbr[month] + f" {day}") == f"--{month:02d}-{day:02d}"
