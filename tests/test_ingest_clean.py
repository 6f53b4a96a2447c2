"""Cleaning on the real sample articles and on each rule: what goes, with which reason, and what stays."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from claimdesk.extract.clean import REASONS, classify, clean_lines, clean_text, split_lines

SAMPLE = Path(__file__).resolve().parent.parent / "sample_data"


def _raw(name: str) -> str:
    return next(SAMPLE.glob(f"{name}_*.txt")).read_text(encoding="utf-8")


# ------------------------------------------------------------------------------------------ the samples
EXPECTED_REMOVED = {
    "000": [
        (10, "source-line", "Source: CNN – Putin calls up 160,000 men to Russian army in latest conscription drive, "
         "at crucial moment in Ukraine war"),
    ],
    "001": [
        (9, "filler", "Lorem ipsum dolor sit amet, consectetur adipiscing elit. Suspendisse varius enim in eros "
         "elementum tristique. Duis cursus, mi quis viverra ornare, eros dolor interdum nulla, ut commodo diam "
         "libero vitae erat. Aenean faucibus nibh et justo cursus id rutrum lorem imperdiet. Nunc ut sem vitae "
         "risus tristique posuere."),
    ],
    "002": [
        (1, "navigation", "top of page"),
        (5, "byline", "• Writer: paolo bibat"),
        (6, "byline", "paolo bibat"),
        (7, "dateline", "• Apr 3"),
        (8, "reading-time", "• 2 min read"),
        (9, "caption", "President Vladimir Putin"),
        (10, "caption", "President Vladimir Putin"),
        (46, "navigation", "bottom of page"),
    ],
    "003": [
        (15, "teaser", "Read Also: Israel killed 15 Palestinian paramedics and rescue workers one by one, says UN"),
        (41, "teaser", "Read Also: Trump Warns Iran: ‘Make a Deal or Face Devastating Bombing’"),
        (51, "comment-prompt", "Leave a Comment"),
    ],
    "004": [],
}


@pytest.mark.parametrize("name", sorted(EXPECTED_REMOVED))
def test_sample_removed_lines_exactly(name):
    cleaned = clean_text(_raw(name))
    assert [(r.line, r.reason, r.text) for r in cleaned.removed] == EXPECTED_REMOVED[name]


@pytest.mark.parametrize("name", sorted(EXPECTED_REMOVED))
def test_sample_every_other_line_is_kept_verbatim_and_in_order(name):
    raw = _raw(name)
    cleaned = clean_text(raw)
    gone = {r.line for r in cleaned.removed}
    expected = [line.strip() for no, line in enumerate(raw.split("\n"), 1) if line.strip() and no not in gone]
    assert cleaned.text.split("\n") == expected
    assert "\n\n" not in cleaned.text and cleaned.text == cleaned.text.strip()


def test_sample_titles_and_outlet_from_source_line():
    assert clean_text(_raw("000")).title == (
        "Putin Orders 160,000 Men to Join Russian Army Amid Crucial Phase of Ukraine War"
    )
    assert clean_text(_raw("000")).outlet == "CNN"
    c2 = clean_text(_raw("002"))
    assert c2.title == "Putin Calls Up Record 160,000 Conscripts as Russia Expands Military Amid Ukraine War"
    assert c2.text.startswith(c2.title + "\nMoscow’s Largest Draft Since 2011 Coincides")
    assert c2.published == "--04-03"  # "Apr 3": no year given
    for name in ("001", "002", "003", "004"):
        assert clean_text(_raw(name)).outlet == ""


def test_sample_subheads_are_kept():
    text2 = clean_text(_raw("002")).text.split("\n")
    for subhead in (
        "Moscow’s Largest Draft Since 2011 Coincides with Rising Tensions and NATO Expansion",
        "Russia’s Growing Military Amid Continued Ukraine Conflict",
        "Escalating Tensions with NATO and Ukraine",
        "Continued Violence Despite Ceasefire Talks",
    ):
        assert subhead in text2
    text3 = clean_text(_raw("003")).text.split("\n")
    for subhead in ("Ukraine: Russia is Stalling Peace Talks to Gain More Land", "Russia’s Draft: A Sign of Desperation?",
                    "What’s Next? A Tense Spring Ahead"):
        assert subhead in text3
    text4 = clean_text(_raw("004")).text.split("\n")
    assert "Conscription Expansion and Digital Notification" in text4


def test_read_also_headlines_never_in_text():
    text = clean_text(_raw("003")).text
    assert "Palestinian paramedics" not in text
    assert "Trump Warns Iran" not in text
    assert "Read Also" not in text and "Leave a Comment" not in text


def test_every_sentence_of_003_body_is_kept():
    raw = _raw("003")
    text = clean_text(raw).text
    body = [l for l in raw.split("\n") if l.strip() and not l.startswith(("Read Also", "Leave a Comment"))]
    sentences = [s for line in body for s in re.split(r"(?<=[.?!”])\s+(?=[“A-Z])", line.strip())]
    assert len(sentences) > 30
    for sentence in sentences:
        assert sentence in text, sentence


def test_removed_offsets_point_at_the_next_kept_line():
    for name in EXPECTED_REMOVED:
        raw_lines = _raw(name).split("\n")
        cleaned = clean_text(_raw(name))
        text = cleaned.text
        for r in cleaned.removed:
            assert r.text == raw_lines[r.line - 1].strip()
            assert r.offset == len(text) or r.offset == 0 or text[r.offset - 1] == "\n"
            if r.offset < len(text):
                nxt = text[r.offset:].split("\n", 1)[0]
                later = [l.strip() for l in raw_lines[r.line:] if l.strip()]
                kept_later = [l for l in later if l in text.split("\n")]
                assert nxt == kept_later[0]
    c = clean_text(_raw("002"))
    by_line = {r.line: r.offset for r in c.removed}
    assert by_line[1] == 0  # "top of page" stood before the title
    assert c.text[by_line[9]:].startswith("Moscow’s Largest Draft")
    assert by_line[46] == len(c.text)


def test_source_line_of_000_is_not_in_text():
    cleaned = clean_text(_raw("000"))
    assert "Source:" not in cleaned.text
    assert cleaned.text.endswith("hoping that diplomacy will ultimately prevail in ending the devastating conflict.")


# ------------------------------------------------------------------------------------------ rule by rule
NOISE = [
    ("top of page", "navigation"),
    ("Bottom of Page", "navigation"),
    ("Skip to main content", "navigation"),
    ("Back to top", "navigation"),
    ("Menu", "navigation"),
    ("Home | World | Europe | Politics", "navigation"),
    ("Home › News › World", "navigation"),
    ("Sign up for our newsletter", "navigation"),
    ("Follow us on Telegram", "navigation"),
    ("Tags: Russia, Ukraine, conscription", "navigation"),
    ("By Jane Doe", "byline"),
    ("By JANE DOE and Ivan Petrov, Reuters", "byline"),
    ("By The Associated Press", "byline"),
    ("Writer: paolo bibat", "byline"),
    ("• Written by Maria Kovalenko", "byline"),
    ("Author: A. N. Other", "byline"),
    ("(Reporting by Guy Faulconbridge; Editing by Andrew Osborn)", "byline"),
    ("By Jane Doe | Apr 3, 2025 | 2 min read", "byline"),
    ("Apr 3", "dateline"),
    ("April 3, 2025", "dateline"),
    ("Thursday, 3 April 2025", "dateline"),
    ("Updated 3:15 PM EDT, Thu April 3, 2025", "dateline"),
    ("Published on 2025-04-03T10:00:00Z", "dateline"),
    ("3 hours ago", "dateline"),
    ("Last updated: 10:32 AM EDT", "dateline"),
    ("Click to share on X (Opens in new window)", "navigation"),
    ("Image source, Getty Images", "caption"),
    ("Media caption, Putin at the parade", "caption"),
    ("Our Standards: The Thomson Reuters Trust Principles.", "footer"),
    ("Copyright 2025 The Associated Press. All rights reserved. This material may not be published, broadcast, "
     "rewritten or redistributed.", "footer"),
    ("Follow AP’s coverage of the war at https://apnews.com/hub/russia-ukraine", "navigation"),
    ("Related Topics", "teaser"),
    ("Ad Feedback", "advert"),
    ("Link Copied!", "navigation"),
    ("• 2 min read", "reading-time"),
    ("5 minute read", "reading-time"),
    ("Reading time: 4 minutes", "reading-time"),
    ("•", "separator"),
    ("* * *", "separator"),
    ("Photo: Reuters", "caption"),
    ("Mikhail Metzel/Pool/AFP via Getty Images", "caption"),
    ("Image 1 of 5", "caption"),
    ("Read Also: Israel killed 15 paramedics, says UN", "teaser"),
    ("Related: Finland leaves landmine treaty", "teaser"),
    ("READ MORE: Storm hits coast", "teaser"),
    ("See also - Sanctions explained", "teaser"),
    ("You may also like: Ten facts about Moscow", "teaser"),
    ("Leave a Comment", "comment-prompt"),
    ("Leave a reply", "comment-prompt"),
    ("Comments", "comment-prompt"),
    ("12 comments", "comment-prompt"),
    ("Share this", "comment-prompt"),
    ("Share this article", "comment-prompt"),
    ("Share on Facebook", "comment-prompt"),
    ("Advertisement", "advert"),
    ("Story continues below advertisement", "advert"),
    ("© 2025 Cable News Network. All rights reserved.", "footer"),
    ("Lorem ipsum dolor sit amet, consectetur adipiscing elit, sed do eiusmod tempor.", "filler"),
]


@pytest.mark.parametrize("line,reason", NOISE)
def test_noise_line_reason(line, reason):
    assert classify(line) == reason
    assert reason in REASONS


REAL = [
    "Escalating Tensions with NATO and Ukraine",
    "Russia’s Draft: A Sign of Desperation?",
    "By the numbers",
    "By This Time Next Year",
    "By the end of July, 160,000 men will have been called up.",
    "Reporting by the BBC and Mediazona has verified at least 100,000 deaths.",
    "Copyright law in Russia is strict.",
    "Read more about the draft in the decree published on Monday.",
    "In other news, Finland left the Ottawa Convention.",
    "The draft begins on April 1.",
    "Updated figures show 160,000 men were called up.",
    "At 10:32 the decree was published.",
    "April 1 is when the draft begins, officials said.",
    "Comments by Peskov were widely reported.",
    "Share prices fell 3% on Tuesday.",
    "Source: an official familiar with the decree said the figure could rise.",
    "Home to 1.5 million troops, the army is growing.",
    "Putin, Trump and Zelenskyy | the three men who will decide the war’s end, analysts say.",
    "“We will not send conscripts to Ukraine,” the admiral said.",
    "Ukraine: Russia is Stalling Peace Talks to Gain More Land",
    "160,000",
    "By The Numbers",
]


@pytest.mark.parametrize("line", REAL)
def test_real_lines_are_not_noise(line):
    assert classify(line) is None


def test_real_sentences_survive_clean_lines():
    lines = list(enumerate(["A title for the test"] + REAL, start=1))
    cleaned = clean_lines(lines)
    assert cleaned.text.split("\n") == ["A title for the test"] + REAL


def test_byline_echo_only_right_after_the_byline():
    raw = "Title here\nWriter: Jane Doe\nJane Doe\nThe draft begins on April 1, officials said on Monday.\nJane Doe"
    cleaned = clean_text(raw)
    assert [(r.line, r.reason) for r in cleaned.removed] == [(2, "byline"), (3, "byline")]
    assert cleaned.text.split("\n")[-1] == "Jane Doe"  # far from the byline: kept


def test_bare_teaser_label_takes_the_headline_after_it():
    raw = ("Title here\nThe draft begins on April 1, officials said on Monday.\nRelated stories\n"
           "Finland leaves the Ottawa Convention\nThe draft ends on July 15, the decree says, as every year.")
    cleaned = clean_text(raw)
    assert [(r.line, r.reason) for r in cleaned.removed] == [(3, "teaser"), (4, "teaser")]
    listed = clean_text("Title here\nThe draft begins on April 1, officials said on Monday.\nMost read\n"
                        "Storm hits the coast\nMarkets tumble on tariff fears\nWhy the rouble fell?\n"
                        "The draft ends on July 15, the decree says.")
    assert [(r.line, r.reason) for r in listed.removed] == [(3, "teaser"), (4, "teaser"), (5, "teaser"), (6, "teaser")]
    # a bare label never takes a sentence
    raw2 = "Title here\nRelated\nThe draft ends on July 15, the decree says."
    assert [r.line for r in clean_text(raw2).removed] == [2]


def test_repeated_lines_caption_versus_duplicate():
    sentence = "The draft begins on April 1, officials said on Monday."
    raw = f"Title here\n\nPutin at the Kremlin\n\nPutin at the Kremlin\n{sentence}\n{sentence}\nEnd of the story, he said."
    cleaned = clean_text(raw)
    assert [(r.line, r.reason) for r in cleaned.removed] == [(3, "caption"), (5, "caption"), (7, "duplicate")]
    assert cleaned.text == f"Title here\n{sentence}\nEnd of the story, he said."
    # the title echoed right below itself: the title stays
    echoed = clean_text("Putin drafts 160,000\nPutin drafts 160,000\nThe body sentence is here, they said.")
    assert echoed.title == "Putin drafts 160,000"
    assert [(r.line, r.reason) for r in echoed.removed] == [(2, "duplicate")]


def test_source_line_variants():
    body = "Title\nThe draft begins on April 1, officials said on Monday."
    assert clean_text(body + "\nSource: Reuters").outlet == "Reuters"
    assert clean_text(body + "\nSource: BBC News - Russia calls up 160,000").outlet == "BBC News"
    c = clean_text(body + "\nSource: https://www.theguardian.com/world/2025/apr/01/x")
    assert (c.outlet, c.url) == ("theguardian.com", "https://www.theguardian.com/world/2025/apr/01/x")
    assert clean_text(body + "\nThis article was originally published by The Moscow Times.").outlet == "The Moscow Times"
    # only the trailing line counts, and noise after it does not hide it
    c2 = clean_text(body + "\nSource: CNN\n\nLeave a Comment\nbottom of page")
    assert c2.outlet == "CNN" and [r.reason for r in c2.removed] == ["source-line", "comment-prompt", "navigation"]
    mid = clean_text("Title\nSource: CNN\nThe draft begins on April 1, officials said on Monday.")
    assert mid.outlet == "" and "Source: CNN" in mid.text


def test_dateline_fills_published():
    assert clean_text("Title\nApril 3, 2025\nBody text goes here, they said.").published == "2025-04-03"
    assert clean_text("Title\nPublished 3 April 2025\nBody text goes here.").published == "2025-04-03"
    assert clean_text("Title\nBody text goes here.").published == ""


def test_metadata_title_is_prepended_once():
    c = clean_lines(split_lines("Body sentence one is here.\nBody sentence two."), title="The Title")
    assert c.text == "The Title\nBody sentence one is here.\nBody sentence two." and c.title == "The Title"
    c2 = clean_lines(split_lines("The Title\nBody sentence one is here."), title="The  title ")
    assert c2.text == "The Title\nBody sentence one is here." and c2.title == "The Title"
    c3 = clean_lines(split_lines("top of page\nBody sentence one is here."), title="The Title")
    assert c3.removed[0].offset == len("The Title") + 1
    # repeated under a kicker line: the kicker stays, the echo goes
    c4 = clean_lines(split_lines("WORLD\nThe Title\nBody sentence one is here."), title="The Title")
    assert c4.text == "The Title\nWORLD\nBody sentence one is here."
    assert [(r.line, r.reason, r.offset) for r in c4.removed] == [(2, "duplicate", len("The Title\nWORLD\n"))]


def test_all_noise_leaves_empty_text():
    c = clean_text("top of page\n\n• Apr 3\nbottom of page\n")
    assert c.text == "" and c.title == "" and len(c.removed) == 3


def test_control_characters_are_stripped_before_cleaning():
    raw = "\x1b[1mTitle\x1b[0m here\r\n\u202eReversed\u202c line of text, it said.\r\n\x1b]8;;http://x\x07top of page\x1b]8;;\x07\r\n"
    c = clean_text(raw)
    assert c.text == "Title here\nReversed line of text, it said."
    assert [(r.line, r.text, r.reason) for r in c.removed] == [(3, "top of page", "navigation")]
