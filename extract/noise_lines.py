"""Which kind of scrape noise a single line is (the `Removed.reason` values), by general regexes/heuristics.

`classify(line)` names the reason a stripped line is noise on its own, or None; `extract.clean` adds the
rules that need the lines around it (byline echoes, teaser lists, repeated captions, the trailing Source
line) and assembles the cleaned text. The reasons:

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
from urllib.parse import urlsplit

from claimdesk.extract.datelines import is_dateline

__all__ = [
    "REASONS", "SHORT_CHARS", "SHORT_WORDS", "TEASER_LIST", "bare_teaser_label", "byline_name", "classify",
    "ends_sentence", "line_core", "n_words", "norm", "source_outlet",
]

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


# ---------------------------------------------------------------------------------------------- patterns
_I = re.IGNORECASE
_BULLET = re.compile(r"^[•·▪◦‣∙●○■□►▸*|>\-–—]+\s*")
_CLOSERS = "\"'”’)]"


def ends_sentence(s: str) -> bool:
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

SHORT_WORDS = 15  # a caption, menu item or headline is at most this many words
SHORT_CHARS = 120
TEASER_LIST = 8  # a bare "Related stories" label takes at most this many headline lines after it


# ---------------------------------------------------------------------------------------------- helpers
def n_words(s: str) -> int:
    return len(s.split())


def _is_sentence(s: str) -> bool:
    return n_words(s) >= 8 and ends_sentence(s)


def line_core(line: str) -> str:
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
    if not toks or len(toks) > 8 or ends_sentence(s) and not re.search(r"\b[A-Z]\.$", s):
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
    return all(n_words(p) <= 4 and not ends_sentence(p) for p in parts)


def _meta_part(core: str) -> str | None:
    """The reason for a byline / dateline / reading-time piece, else None."""
    if _READING_TIME.match(core):
        return "reading-time"
    if is_dateline(core):
        return "dateline"
    m = _BYLINE_LABELLED.match(core)
    if m:
        name = m["name"] or m["name2"]
        if n_words(name) <= 8 and not _is_sentence(name):
            return "byline"
    m = _BYLINE_BY.match(core)
    if m and _looks_like_name(m["name"]):
        return "byline"
    return None


def byline_name(core: str) -> str:
    m = _BYLINE_LABELLED.match(core) or _BYLINE_BY.match(core)
    if not m:
        return ""
    name = m.groupdict().get("name") or m.groupdict().get("name2") or ""
    return re.split(r"\s*[|•·,;]\s*", name.strip())[0]


def classify(line: str) -> str | None:
    """The reason a single stripped line is noise on its own, or None. (Context rules live in `clean_lines`.)"""
    core = line_core(line)
    if not any(ch.isalnum() for ch in core):
        return "separator"
    nwords = n_words(core)
    if nwords <= SHORT_WORDS:
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


def norm(s: str) -> str:
    return " ".join(s.casefold().split())


def source_outlet(line: str) -> tuple[str, str] | None:
    """(outlet, url) when `line` is a Source line, else None."""
    m = _SOURCE.match(line_core(line))
    if not m:
        return None
    outlet = m["outlet"].strip().strip(".,;:")
    url = ""
    if _URLISH.match(outlet):
        url = outlet if outlet.lower().startswith("http") else "https://" + outlet
        outlet = _host_outlet(url)
    if not outlet or n_words(outlet) > 6 or ends_sentence(outlet) and not outlet.endswith("."):
        return None
    return outlet, url


def _host_outlet(url: str) -> str:
    host = urlsplit(url).hostname or ""
    return host[4:] if host.startswith("www.") else host



def bare_teaser_label(line: str) -> bool:
    """A teaser label with nothing after it ("Related stories", "Read more:"): the headline lines after it are teasers."""
    m = _TEASER.match(line_core(line))
    return bool(m) and not m["rest"].strip()
