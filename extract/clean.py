"""Cleaning scraped article text: cut the scrape noise out, keep every cut as a `Removed`.

The input is a list of (raw line number, line) pairs, already made safe by `extract.sanitize.sanitize`.
Lines are stripped; blank lines are dropped (they are layout, not noise, and are not recorded). A line is
removed whole or kept whole, so every kept line occurs verbatim in the input (only a title known from
metadata is added, as the first line). Rules are general regexes/heuristics over lines, named by the reason
they record (the `Removed.reason` values):

``navigation``
    site chrome: "top of page" / "bottom of page", "Skip to content", "Back to top", "Menu", "Home",
    "Sign in", "Subscribe", "Sign up for ...", "Follow us on ...", "Follow AP's coverage ...", "Click here
    ...", "Click to share ...", "Link copied", "Reuse this content", "Tags: ...", breadcrumbs and menus
    (three or more short items split by ``|``, ``>``, ``»``, ``/`` or bullets).
``byline``
    "Writer: paolo bibat", "Author: ...", "Written by ...", "Posted by ...", "By Jane Doe" (a "By" line counts
    only when what follows looks like a name: capitalised words), "Reporting by ...; Editing by ...", and the
    echo line repeating the byline's name just below it ("paolo bibat").
``dateline``
    a line that is only a date and/or time, maybe after "Published"/"Updated": "Apr 3", "April 3, 2025",
    "Thu 3 April 2025 10:15 BST", "2025-04-03", "3 hours ago". A full date found there fills
    `published` (ISO "2025-04-03"; "--04-03" when the year is missing).
``reading-time``
    "2 min read", "5 minute read", "Reading time: 3 minutes".
    (A line made only of byline / dateline / reading-time parts split by bullets or ``|`` -
    "By Jane Doe | Apr 3, 2025 | 2 min read" - goes whole, under the reason of its first part.)
``separator``
    a line with no letter or digit: a lone bullet "•", "***", "---".
``caption``
    a short line (at most 15 words, no full stop at its end) repeated on consecutive lines ("President
    Vladimir Putin" twice): all copies go, they are photo captions; photo credit lines ("Photo: ...",
    "... /Getty Images", "(AP Photo/...)", "Image source, ...", "Image 1 of 5").
``duplicate``
    any other line repeated on consecutive lines (a sentence, a long line, the title just below itself):
    the first copy is kept, the repeats go (so no sentence is ever lost); also a metadata title (HTML,
    JSONL, front matter) repeated in the body's second or third line.
``teaser``
    links to other stories: "Read Also: <headline>", "Related: ...", "Read more: ...", "See also: ...",
    "You may also like: ...", "Watch: ...". A bare label line ("Related stories", "Read more:") also takes
    the headline-like lines (at most 20 words, no full stop) right after it, up to 8.
``comment-prompt``
    "Leave a Comment", "Comments", "12 comments", "Share this", "Share on Facebook", "Join the conversation".
``advert``
    "Advertisement", "Sponsored content", "Story continues below advertisement", "Ad Feedback".
``footer``
    "© 2025 ...", "Copyright 2025 ...", "... All rights reserved.", "Our Standards: ...".
``filler``
    lorem ipsum: a line where most words are lorem-ipsum Latin.
``source-line``
    a trailing "Source: CNN – <headline>" / "Source: CNN" / "Originally published by X" line (the last kept
    line only). It is metadata, never a claim: the outlet ("CNN") is returned in `Cleaned.outlet`.

Whole-line rules match the entire line (after a leading bullet), so a real sentence that merely contains
"by", a date or "comments" is never removed; only `teaser`, `caption`, `filler` and `byline` ("Reporting
by") look at label-led lines, and those labels do not start real sentences.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from urllib.parse import urlsplit

from claimdesk.extract.datelines import AGENCY_DATELINE, is_dateline, iso_from_dateline
from claimdesk.extract.model import Removed
from claimdesk.extract.sanitize import sanitize, sanitize_line

__all__ = ["Cleaned", "REASONS", "classify", "clean_lines", "clean_text", "iso_from_dateline", "split_lines"]

REASONS: tuple[str, ...] = (
    "navigation",
    "byline",
    "dateline",
    "reading-time",
    "separator",
    "caption",
    "duplicate",
    "teaser",
    "comment-prompt",
    "advert",
    "footer",
    "filler",
    "source-line",
)


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


# ---------------------------------------------------------------------------------------------- patterns
_I = re.IGNORECASE
_BULLET = re.compile(r"^[•·▪◦‣∙●○■□►▸*|>\-–—]+\s*")
_CLOSERS = "\"'”’)]"


def _ends_sentence(s: str) -> bool:
    """Does `s` end like a sentence (full stop, ?, !, … maybe followed by closing quotes/brackets)?"""
    s = s.rstrip().rstrip(_CLOSERS)
    return s[-1:] in (".", "!", "?", "…")



_NAV = re.compile(
    r"^(?:(?:top|bottom|end) of (?:the )?page|(?:skip|jump) to [\w ]{1,30}|(?:back|return|go) to (?:the )?"
    r"(?:top|home ?page|homepage|home)|(?:main |open |close |toggle )?(?:menu|navigation)(?: close| open)?|"
    r"home|search|sign (?:in|up|out)|log ?(?:in|out)|register|subscribe(?: now| today)?|newsletters?|"
    r"(?:previous|next|prev)(?: (?:article|story|post|page))?|print(?: this)?(?: article| page)?|"
    r"email|facebook|twitter|x|whatsapp|linkedin|telegram|reddit|copy link|listen(?: to this article)?|"
    r"(?:more|all) (?:news|stories|articles)|follow us|trending|menu search|close|open|loading|"
    r"(?:opens|open) in (?:a )?new (?:window|tab)|link copied|copied|reuse this content|"
    r"explore more on these topics)\W*$",
    _I,
)
_NAV_LED = re.compile(
    r"^(?:(?:sign up|subscribe) (?:for|to|now)\b|follow us on\b|follow @|click (?:here|to)\b|tap here\b|"
    r"follow (?:our|[\w.]+['’]s) (?:live |full )?coverage\b|"
    r"(?:tags?|topics?|filed under|categories|category|keywords)\s*:)",
    _I,
)
_MENU_SPLIT = re.compile(r"\s+[|>»›/•·]\s+|\s*[|»›•·]\s*")

_BYLINE_LABELLED = re.compile(
    r"^(?:writer|written by|author|authors|posted by|reported by|story by|words by|words|reporter|"
    r"correspondent|editor|edited by|by)\s*:\s*(?P<name>.+)$|"
    r"^(?:written|posted|reported|story|words) by\s+(?P<name2>.+)$",
    _I,
)
_BYLINE_BY = re.compile(r"^by\s+(?P<name>.+)$", _I)
_BYLINE_CREDITS = re.compile(
    r"^(?:additional |further )?(?:reporting|writing|editing|compiled|compilation|research|graphics) by\s+(?P<names>.+)$",
    _I,
)
_NAME_TOKEN = re.compile(
    r"^(?:[A-Z\u00c0-\u024f][\w'’.\-]*|[A-Z]\.|and|&|de|da|del|der|den|van|von|la|le|al|el|bin|ibn|dos|du|"
    r"y|in|of|the|for|with|at)$"
)

_NUMBER_WORD = r"(?:\d+|one|two|three|four|five|six|seven|eight|nine|ten|a)"
_READING_TIME = re.compile(
    rf"^(?:{_NUMBER_WORD}(?:\s*[-–]\s*\d+)?\s*[- ]?\s*(?:min|mins|minutes?)\.?\s+(?:read|reading|read time|"
    rf"reading time|listen)|(?:estimated )?(?:reading|read) time\s*:?\s*{_NUMBER_WORD}\s*(?:min|mins|minutes?)"
    rf"(?:\s+read)?|(?:less than|under|about) (?:a|one|\d+) minutes? read)\W*$",
    _I,
)

_TEASER = re.compile(
    r"^(?:read also|also read|read more|more to read|read next|see also|related(?: articles?| stories| story|"
    r" news| content| coverage| reading| posts?| links?| topics| internet links)?|recommended(?: for you| reading| stories)?|"
    r"you (?:may|might) also (?:like|be interested in)|don['’]t miss|must read|more from [\w .'’]{1,40}|"
    r"also on [\w .'’]{1,30}|watch|listen|trending(?: now| stories)?|most (?:read|popular)|popular stories|"
    r"editor['’]?s['’]? picks?|more stories|latest news|top stories|further reading|in other news|"
    r"read the full story|continue reading|more on this (?:story|topic)|most viewed)"
    r"(?P<sep>\s*[:\-–—|»›]+\s*|\s*$)(?P<rest>.*)$",
    _I,
)

_COMMENT = re.compile(
    r"^(?:leave a (?:comment|reply)|post a comment|add a comment|write a comment|comments?|"
    r"\d+\s+comments?|comments?\s*\(\d+\)|(?:view|show|load|read|see) (?:all )?comments|"
    r"join the (?:conversation|discussion)|have your say|what do you think\??|"
    r"share(?: this)?(?: article| story| post| page)?|share (?:on|via|to) [\w+]+(?:(?:,| and| or)? [\w+]+){0,3}|like this|"
    r"share your (?:thoughts|comments)|you must be logged in to post a comment|"
    r"cancel reply|reply)\W*$",
    _I,
)
_ADVERT = re.compile(
    r"^(?:advertisement|advert|ads?|sponsored(?: content| post| links?)?|paid (?:content|post)|"
    r"(?:story|article) continues (?:below|after) (?:this )?(?:advertisement|ad)|"
    r"continue reading (?:below|the main story)|scroll to continue(?: with content)?|"
    r"remove ads|(?:video )?ad feedback)\W*$",
    _I,
)
_FOOTER = re.compile(
    r"^(?:©|\(c\)\s|copyright\s*(?:©|\(c\)|\d{4})|all rights reserved\W*$|our standards\s*:)|\ball rights reserved\W*$", _I
)

_CAPTION_LED = re.compile(
    r"^(?:photo|image|picture|photograph|pictured|photo credit|image credit|image source|credit|"
    r"illustration|file photo|caption)s?\s*(?:\([^)]*\)\s*)?[:|]\s*\S|"
    r"^(?:image|media|video) (?:source|caption)\s*[,:]\s*\S",
    _I,
)
_CAPTION_CREDIT = re.compile(
    r"(?:\b(?:getty images|ap photo|afp via getty|via getty|shutterstock|photo by|image by)\b|"
    r"/\s*(?:reuters|afp|ap|epa|tass|sputnik|pool|anadolu|xinhua|ria novosti)\)?\.?)\s*\)?\s*$",
    _I,
)
_IMAGE_COUNTER = re.compile(r"^(?:(?:image|photo|slide|picture)\s+)?\d+\s*(?:of|/)\s*\d+$", _I)

_LOREM_WORDS = frozenset(
    """a ac accumsan ad adipiscing aenean aliquam aliquet amet ante aptent arcu at auctor augue bibendum
    blandit class commodo condimentum congue consectetur consequat conubia convallis cras cubilia curabitur
    curae cursus dapibus diam dictum dictumst dignissim dis dolor donec dui duis efficitur egestas eget
    eleifend elementum elit enim erat eros est et etiam eu euismod ex facilisi facilisis fames faucibus felis
    fermentum feugiat finibus fringilla fusce gravida habitant habitasse hac hendrerit himenaeos iaculis id
    imperdiet in inceptos integer interdum ipsum justo lacinia lacus laoreet lectus leo libero ligula litora
    lobortis lorem luctus maecenas magna magnis malesuada massa mattis mauris maximus metus mi molestie
    mollis montes morbi mus nam nascetur natoque nec neque netus nibh nisi nisl non nostra nulla nullam nunc
    odio orci ornare parturient pellentesque penatibus per pharetra phasellus placerat platea porta porttitor
    posuere potenti praesent pretium primis proin pulvinar purus quam quis quisque rhoncus ridiculus risus
    rutrum sagittis sapien scelerisque sed sem semper senectus sit sociosqu sodales sollicitudin suscipit
    suspendisse taciti tellus tempor tempus tincidunt torquent tortor tristique turpis ullamcorper ultrices
    ultricies urna ut varius vehicula vel velit venenatis vestibulum vitae vivamus viverra volutpat vulputate
    labore dolore aliqua minim veniam nostrud exercitation ullamco laboris aliquip commodo consequat aute
    irure reprehenderit voluptate esse cillum fugiat pariatur excepteur sint occaecat cupidatat proident sunt
    culpa qui officia deserunt mollit anim laborum incididunt eiusmod do""".split()
)
_WORD = re.compile(r"[^\W\d_]+")

_SOURCE = re.compile(
    r"^(?:sources?\s*:|via\s*:|(?:this (?:article|story|report) )?(?:was )?(?:originally|first) "
    r"(?:published|appeared|posted)(?: (?:by|on|in|at))?\s*:?)\s*(?P<outlet>.+?)"
    r"(?:\s+[–—\-|]\s+(?P<headline>.+)|:\s+(?P<headline2>.+))?\W{0,2}$",
    _I,
)
_URLISH = re.compile(r"^(?:https?://|www\.)\S+$", _I)

_SHORT_WORDS = 15  # a caption, menu item or headline is at most this many words
_SHORT_CHARS = 120
_TEASER_LIST = 8  # a bare "Related stories" label takes at most this many headline lines after it


# ---------------------------------------------------------------------------------------------- helpers
def _words(s: str) -> int:
    return len(s.split())


def _is_sentence(s: str) -> bool:
    return _words(s) >= 8 and _ends_sentence(s)


def _core(line: str) -> str:
    """The line without a leading bullet/dash marker (for matching only; kept lines keep theirs)."""
    return _BULLET.sub("", line, count=1) if line[:1] in "•·▪◦‣∙●○■□►▸*|>-–—" else line


_NOT_NAME_START = frozenset(
    "the a an this that these those its their our my his her all some any every far then now contrast comparison "
    "design default numbers day night land air sea law".split()
)
_OUTLET_END = frozenset(
    "press times staff team board desk reporters correspondent correspondents news post guardian journal agencies "
    "wires telegraph independent economist".split()
)


def _looks_like_name(s: str) -> bool:
    s = re.sub(r"[,;]\s*", " ", s).strip()
    toks = s.split()
    if not toks or len(toks) > 8 or _ends_sentence(s) and not re.search(r"\b[A-Z]\.$", s):
        return False
    if not toks[0][:1].isupper():
        return False
    if toks[0].lower() in _NOT_NAME_START and toks[-1].lower() not in _OUTLET_END:
        return False  # "By The Numbers", "By This Time" (but "By The Associated Press")
    return all(_NAME_TOKEN.match(t) for t in toks)


def _is_credits(core: str) -> bool:
    """'(Reporting by Guy Faulconbridge; Editing by Andrew Osborn)': every ';' part is "<job> by <names>"."""
    core = core.strip().strip("()[]").rstrip(".").strip()
    parts = [p.strip() for p in core.split(";") if p.strip()]
    if not parts:
        return False
    for part in parts:
        m = _BYLINE_CREDITS.match(part)
        if not m or not _looks_like_name(re.sub(r"\b(?:and|in|from)\b", ",", m["names"])):
            return False
    return True


def _is_lorem(line: str) -> bool:
    low = line.lower()
    if "lorem" not in low and "ipsum" not in low and "dolor" not in low and "adipiscing" not in low:
        return False
    words = [w.lower() for w in _WORD.findall(line)]
    if not words:
        return False
    return sum(w in _LOREM_WORDS for w in words) / len(words) >= 0.6


def _is_menu(core: str) -> bool:
    parts = [p for p in _MENU_SPLIT.split(core) if p.strip()]
    if len(parts) < 3:
        return False
    return all(_words(p) <= 4 and not _ends_sentence(p) for p in parts)


def _meta_part(core: str) -> str | None:
    """The reason for a byline / dateline / reading-time piece, else None."""
    if _READING_TIME.match(core):
        return "reading-time"
    if is_dateline(core):
        return "dateline"
    m = _BYLINE_LABELLED.match(core)
    if m:
        name = m["name"] or m["name2"]
        if _words(name) <= 8 and not _is_sentence(name):
            return "byline"
    m = _BYLINE_BY.match(core)
    if m and _looks_like_name(m["name"]):
        return "byline"
    return None


def _byline_name(core: str) -> str:
    m = _BYLINE_LABELLED.match(core) or _BYLINE_BY.match(core)
    if not m:
        return ""
    name = m.groupdict().get("name") or m.groupdict().get("name2") or ""
    return re.split(r"\s*[|•·,;]\s*", name.strip())[0]


def classify(line: str) -> str | None:
    """The reason a single stripped line is noise on its own, or None. (Context rules live in `clean_lines`.)"""
    core = _core(line)
    if not any(ch.isalnum() for ch in core):
        return "separator"
    nwords = _words(core)
    if nwords <= _SHORT_WORDS:
        if _NAV.match(core):
            return "navigation"
        if _COMMENT.match(core):
            return "comment-prompt"
        if _ADVERT.match(core):
            return "advert"
        if _IMAGE_COUNTER.match(core):
            return "caption"
        reason = _meta_part(core)
        if reason:
            return reason
        if _NAV_LED.match(core) and not _is_sentence(core):
            return "navigation"
        parts = [p for p in _MENU_SPLIT.split(core) if p.strip()]
        if len(parts) > 1:
            reasons = [_meta_part(p.strip()) for p in parts]
            if all(reasons):
                return reasons[0]
        if _is_menu(core):
            return "navigation"
    if _TEASER.match(core):
        return "teaser"
    if nwords <= 40 and _FOOTER.match(core):
        return "footer"
    if nwords <= 30 and (_CAPTION_LED.match(core) or _CAPTION_CREDIT.search(core)):
        return "caption"
    if nwords <= 40 and _is_credits(core):
        return "byline"
    if _is_lorem(core):
        return "filler"
    return None


def _norm(s: str) -> str:
    return " ".join(s.casefold().split())


def _source_outlet(line: str) -> tuple[str, str] | None:
    """(outlet, url) when `line` is a Source line, else None."""
    m = _SOURCE.match(_core(line))
    if not m:
        return None
    outlet = m["outlet"].strip().strip(".,;:")
    url = ""
    if _URLISH.match(outlet):
        url = outlet if outlet.lower().startswith("http") else "https://" + outlet
        outlet = _host_outlet(url)
    if not outlet or _words(outlet) > 6 or _ends_sentence(outlet) and not outlet.endswith("."):
        return None
    return outlet, url


def _host_outlet(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else host


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
            name = _norm(_byline_name(_core(items[i][1])))
            if not name:
                continue
            for j in range(i + 1, min(i + 4, n)):
                if reasons[j] is None and _norm(_core(items[j][1])) == name:
                    reasons[j] = "byline"
                    break

    # a bare teaser label ("Related stories", "Read more:") takes the headline-like lines right after it
    for i in range(n - 1):
        if reasons[i] == "teaser":
            m = _TEASER.match(_core(items[i][1]))
            if m and not m["rest"].strip():
                for j in range(i + 1, min(i + 1 + _TEASER_LIST, n)):
                    nxt = items[j][1]
                    if reasons[j] is not None or _words(nxt) > 20 or nxt.rstrip("\"'”’").endswith("."):
                        break
                    reasons[j] = "teaser"

    # runs of the same line among the lines still kept: captions (short) or duplicates (long / the title)
    kept_idx = [i for i in range(n) if reasons[i] is None]
    norms = [_norm(items[i][1]) for i in kept_idx]
    k = 0
    while k < len(kept_idx):
        end = k + 1
        while end < len(kept_idx) and norms[end] == norms[k]:
            end += 1
        if end - k > 1:
            run = kept_idx[k:end]
            line = items[run[0]][1]
            is_title = k == 0 and not title
            short = _words(line) <= _SHORT_WORDS and len(line) <= _SHORT_CHARS
            if not is_title and short and not _ends_sentence(line):
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
        found = _source_outlet(items[last][1])
        if found:
            outlet, url = found
            reasons[last] = "source-line"

    # a metadata title: the first line if the body starts with it; repeated just below a kicker, a duplicate
    title = sanitize_line(title)
    prefix = title
    if title:
        kept_idx = [i for i in range(n) if reasons[i] is None]
        key = _norm(title)
        for rank, i in enumerate(kept_idx[:3]):
            if _norm(items[i][1]) == key:
                if rank == 0:
                    title, prefix = items[i][1], ""  # the text's own spelling
                else:
                    reasons[i] = "duplicate"
                break

    published = published_raw = ""
    for i in range(n):
        if reasons[i] == "dateline":
            core = _core(items[i][1])
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

