"""Cleaning scraped article text: cut the scrape noise out, keep every cut as a `Removed`.

The input is a list of (raw line number, line) pairs, already made safe by `extract.sanitize.sanitize`.
Lines are stripped; blank lines are dropped (they are layout, not noise, and are not recorded). A line is
removed whole or kept whole, so every kept line occurs verbatim in the input (only a title known from
metadata is added, as the first line). What a single line is (navigation, byline, dateline, caption,
teaser, ...: the `Removed.reason` values) is decided by `extract.noise_lines`; here are the rules that need
the lines around it: a byline's name echoed below it, the headline list after a bare "Related stories"
label, a short line repeated on consecutive lines (captions) or a long one (duplicates), the trailing
"Source: ..." line (its outlet fills `Cleaned.outlet`), a metadata title repeated in the body, and the
publication date read from a dateline or an agency dateline ("MOSCOW, April 3 (Reuters) - ...").
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from claimdesk.extract.datelines import AGENCY_DATELINE, iso_from_dateline
from claimdesk.extract.model import Removed
from claimdesk.extract.noise_lines import (
    REASONS,
    SHORT_CHARS,
    SHORT_WORDS,
    TEASER_LIST,
    bare_teaser_label,
    byline_name,
    classify,
    ends_sentence,
    line_core,
    n_words,
    norm,
    source_outlet,
)
from claimdesk.extract.sanitize import sanitize, sanitize_line

__all__ = ["Cleaned", "REASONS", "classify", "clean_lines", "clean_text", "iso_from_dateline", "split_lines"]


@dataclass(frozen=True, slots=True)
class Cleaned:
    title: str
    text: str  # the title as first line, then the kept lines, joined by "\n"
    removed: tuple[Removed, ...]
    outlet: str = ""  # from a trailing Source line, else ""
    published: str = ""  # from a dateline, else ""
    url: str = ""  # from a Source line that is a URL, else ""
    kept: int = 0  # how many input lines were kept (0: nothing but noise, even if a metadata title was given)
    published_raw: str = ""  # the dateline text the date was read from ("Published: Apr 3, 2025"), else ""



# ---------------------------------------------------------------------------------------------- cleaning
def split_lines(raw: str, first_line: int = 1) -> list[tuple[int, str]]:
    """(line number, stripped line) for each non-blank line of `raw`."""
    out = []
    for no, line in enumerate(raw.split("\n"), start=first_line):
        line = line.strip()
        if line:
            out.append((no, line))
    return out


def clean_lines(lines: Iterable[tuple[int, str]], *, title: str = "") -> Cleaned:
    """Clean (line number, line) pairs (lines already sanitised). `title`, when known from metadata, becomes
    the first line (unless the text already starts with it); else the first kept line is the title."""
    items = [(no, s.strip()) for no, s in lines if s and s.strip()]
    n = len(items)
    reasons: list[str | None] = [classify(s) for _, s in items]

    # byline echo: the byline's name repeated alone on one of the next lines ("paolo bibat")
    for i in range(n):
        if reasons[i] == "byline":
            name = norm(byline_name(line_core(items[i][1])))
            if not name:
                continue
            for j in range(i + 1, min(i + 4, n)):
                if reasons[j] is None and norm(line_core(items[j][1])) == name:
                    reasons[j] = "byline"
                    break

    # a bare teaser label ("Related stories", "Read more:") takes the headline-like lines right after it
    for i in range(n - 1):
        if reasons[i] == "teaser":
            if bare_teaser_label(items[i][1]):
                for j in range(i + 1, min(i + 1 + TEASER_LIST, n)):
                    nxt = items[j][1]
                    if reasons[j] is not None or n_words(nxt) > 20 or nxt.rstrip("\"'”’").endswith("."):
                        break
                    reasons[j] = "teaser"

    # runs of the same line among the lines still kept: captions (short) or duplicates (long / the title)
    kept_idx = [i for i in range(n) if reasons[i] is None]
    norms = [norm(items[i][1]) for i in kept_idx]
    k = 0
    while k < len(kept_idx):
        end = k + 1
        while end < len(kept_idx) and norms[end] == norms[k]:
            end += 1
        if end - k > 1:
            run = kept_idx[k:end]
            line = items[run[0]][1]
            is_title = k == 0 and not title
            short = n_words(line) <= SHORT_WORDS and len(line) <= SHORT_CHARS
            if not is_title and short and not ends_sentence(line):
                for i in run:
                    reasons[i] = "caption"
            else:
                for i in run[1:]:
                    reasons[i] = "duplicate"
        k = end

    # the trailing Source line: metadata (the outlet), never a claim
    outlet = url = ""
    kept_idx = [i for i in range(n) if reasons[i] is None]
    if len(kept_idx) > 1 or (kept_idx and title):
        last = kept_idx[-1]
        found = source_outlet(items[last][1])
        if found:
            outlet, url = found
            reasons[last] = "source-line"

    # a metadata title: the first line if the body starts with it; repeated just below a kicker, a duplicate
    title = sanitize_line(title)
    prefix = title
    if title:
        kept_idx = [i for i in range(n) if reasons[i] is None]
        key = norm(title)
        for rank, i in enumerate(kept_idx[:3]):
            if norm(items[i][1]) == key:
                if rank == 0:
                    title, prefix = items[i][1], ""  # the text's own spelling
                else:
                    reasons[i] = "duplicate"
                break

    published = published_raw = ""
    for i in range(n):
        if reasons[i] == "dateline":
            core = line_core(items[i][1])
            published_raw = published_raw or core
            published = iso_from_dateline(core)
            if published:
                published_raw = core
                break
    if not published:  # an agency dateline opening the story: "MOSCOW, April 3 (Reuters) - ..."
        for i in [i for i in range(n) if reasons[i] is None][:3]:
            m = AGENCY_DATELINE.match(items[i][1])
            if m:
                published, published_raw = iso_from_dateline(m["date"]), m["date"]
                break

    # assemble text and offsets
    parts: list[str] = [prefix] if prefix else []
    pos = len(prefix) + 1 if prefix else 0
    pending: list[tuple[int, str, str]] = []
    removed: list[Removed] = []
    for i, (no, line) in enumerate(items):
        if reasons[i] is None:
            for pno, ptext, preason in pending:
                removed.append(Removed(ptext, preason, pno, pos))
            pending.clear()
            parts.append(line)
            pos += len(line) + 1
        else:
            pending.append((no, line, reasons[i]))  # type: ignore[arg-type]
    text = "\n".join(parts)
    for pno, ptext, preason in pending:
        removed.append(Removed(ptext, preason, pno, len(text)))
    if not title:
        title = parts[0] if parts else ""
    kept = sum(r is None for r in reasons)
    return Cleaned(title=title, text=text, removed=tuple(removed), outlet=outlet, published=published, url=url,
                   kept=kept, published_raw=published_raw)


def clean_text(raw: str, *, title: str = "", first_line: int = 1) -> Cleaned:
    """Sanitise and clean a whole raw text (line numbers count from `first_line`)."""
    return clean_lines(split_lines(sanitize(raw), first_line), title=title)

