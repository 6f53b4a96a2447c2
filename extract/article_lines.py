"""Which lines of an article's text are headings and which hold sentences: `line_bounds(text)` gives
(start, end, is_heading) per line, `headline_line` the line holding the headline.

A line with no sentence-final punctuation is a heading (a subhead, a label), except a list item of five
words or more that is not title-cased and a long line in sentence case (a sentence that lost its full
stop); the title is a heading even with its full stop when it is one short sentence. Only the headline
among the headings is read for claims (extract.claims). General typography only, no story's words.
"""

from __future__ import annotations

import re

SENTENCE_END = re.compile(r"[.!?…](?:\s?[\"'”’)\]])*\s*$")  # 'the sequel to "The Hunger Games. "' ends too

_BULLET = re.compile(r"^[•·▪◦‣∙●○■□►▸*\-–—]+\s+")
BULLETS = frozenset("•·▪◦‣∙●○■□►▸*-–—")
_INNER_STOP = re.compile(r"[.!?][\"'”’)]*\s+\S")
_SMALL_WORDS = frozenset("a an the and or but of to in on at for with by from as is are was be vs via".split())


def _title_cased(line: str) -> bool:
    words = [w for w in re.findall(r"[^\W\d_][\w’'-]*", line) if w.lower() not in _SMALL_WORDS]
    return bool(words) and sum(w[0].isupper() for w in words) >= 0.6 * len(words)


SENTENCE_WORDS = 10  # an unpunctuated line this long, in sentence case, is a sentence that lost its stop


def _unpunctuated_sentence(line: str) -> bool:
    """A line without its full stop that is still a sentence, not a subhead: long, in sentence case, no
    label or list ("Two officers shot and killed a 16-year-old resident after police say he pointed a gun")."""
    words = line.split()
    if len(words) < SENTENCE_WORDS or line.endswith((":", "|")) or "|" in line or _title_cased(line):
        return False
    letters = [c for c in line if c.isalpha()]
    return sum(c.isupper() for c in letters) < 0.5 * len(letters)


def line_bounds(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, is_heading) per line. A heading has no sentence-final punctuation, except a list item
    ("- Russia called up 160,000 men") of five words or more that is not title-cased, and a long line in
    sentence case (`_unpunctuated_sentence`). The first line (the
    title) is also a heading when it is one short sentence; a first line that is a whole paragraph (an
    article without headline, whose first paragraph became its title) is read for claims."""
    out = []
    pos = 0
    for i, line in enumerate(text.split("\n")):
        end = pos + len(line)
        stripped = line.strip()
        heading = not SENTENCE_END.search(stripped) if stripped else True
        title_line = i == 0 or (i == 1 and _bare_id(text[: pos - 1]))
        if title_line and not heading and len(stripped.split()) <= 15 and not _INNER_STOP.search(stripped):
            heading = True  # a one-sentence headline with a full stop ("Putin orders 160,000 men to arms.")
        if heading and i > 0 and _BULLET.match(stripped):
            item = _BULLET.sub("", stripped, count=1)
            heading = len(item.split()) < 5 or _title_cased(item) or item.endswith(":")
        out.append((pos, end, heading))
        pos = end + 1
    title = headline_line(out, text, 0)
    for i, (start, end, heading) in enumerate(out):
        if heading and i > title and _unpunctuated_sentence(text[start:end].strip()):
            out[i] = (start, end, False)
    return out


def headline_line(lines: list[tuple[int, int, bool]], text: str, offset: int) -> int:
    """The line holding the headline: the first line, or the second when the first is a bare id or file
    name (one word with no space, as "2_10ecbplus"); -1 when it is not in this parsed piece."""
    if offset:
        return -1
    first = text[lines[0][0] : lines[0][1]] if lines else ""
    if _bare_id(first) and len(lines) > 1 and lines[1][2]:
        return 1
    return 0


def _bare_id(line: str) -> bool:
    """A line that is only an id or a file name (one word with no space that is not a word: "2_10ecbplus")."""
    line = line.strip()
    return bool(line) and " " not in line and not line.isalpha()
