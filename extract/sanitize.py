"""Terminal safety: make any string safe to store and to print in a terminal.

`sanitize` removes, in one left-to-right pass:

* ANSI / VT escape sequences: CSI (``ESC [`` or C1 ``0x9B`` ... final byte), OSC, DCS, SOS, PM and APC
  strings (``ESC ]``, ``ESC P``, ``ESC X``, ``ESC ^``, ``ESC _`` or their C1 forms) up to their terminator
  (BEL, ``ESC \\`` or ST ``0x9C``), and two/three-byte escapes (``ESC c``, ``ESC ( B``, ...);
* every other C0 and C1 control character and DEL, except ``\\n``; ``\\t``, ``\\v`` and ``\\f`` become a
  space; ``\\r\\n`` and a lone ``\\r`` become ``\\n`` (so are U+2028/U+2029);
* bidi embeddings, overrides, isolates and marks (U+202A-U+202E, U+2066-U+2069, U+200E, U+200F, U+061C),
  the BOM / zero-width no-break space U+FEFF and lone surrogates.

Every ESC is removed (alone or as part of a sequence), so nothing that survives can form a new sequence:
``sanitize(sanitize(s)) == sanitize(s)`` always holds. Printable characters (curly quotes, dashes, any
script) are never touched.

`drop_control_references` removes HTML/XML character references that stand for such characters (``&#7;``,
``&#x1B;``, ``&#155;``) from markup, so a page with one is read like a page with the raw character (which
parsers refuse or keep), not refused whole.

`sanitize_line` is the same for one-line fields (title, outlet, url, date): whitespace runs, newlines
included, become one space and the ends are stripped.
"""

from __future__ import annotations

import re

__all__ = ["sanitize", "sanitize_line", "is_clean", "drop_control_references"]

_ST = r"(?:\x07|\x1b\\|\x9c)"  # string terminators: BEL, ESC \, C1 ST
_UNSAFE = re.compile(
    "|".join(
        [
            # OSC / DCS / SOS / PM / APC strings, terminated
            r"(?:\x1b[\]PX^_]|[\x90\x98\x9d\x9e\x9f])[^\x07\x1b\x9c]*" + _ST,
            # CSI: parameter bytes, intermediate bytes, final byte
            r"(?:\x1b\[|\x9b)[\x30-\x3f]*[\x20-\x2f]*[\x40-\x7e]",
            # other escapes: ESC, intermediates, final (ESC c, ESC 7, ESC ( B, ESC # 8 ...)
            r"\x1b[\x20-\x2f]*[\x30-\x7e]",
            # anything else that is not safe, one character at a time
            "[\x00-\x08\x0e-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\ufeff\ud800-\udfff]",
        ]
    )
)
_SPACE_LIKE = re.compile("[\t\x0b\x0c]")
_NEWLINE_LIKE = re.compile("\r\n?|[\u2028\u2029]")
_WS_RUN = re.compile(r"\s+")
# quick check: does the string hold anything `sanitize` would change?
_NEEDS_WORK = re.compile(
    "[\x00-\x09\x0b-\x1f\x7f-\x9f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069\u2028\u2029\ufeff\ud800-\udfff]"
)


def sanitize(s: str) -> str:
    """`s` without control characters, escape sequences or bidi controls (newlines kept, tabs as spaces)."""
    if not _NEEDS_WORK.search(s):
        return s
    s = _NEWLINE_LIKE.sub("\n", s)
    s = _SPACE_LIKE.sub(" ", s)
    return _UNSAFE.sub("", s)


def sanitize_line(s: str) -> str:
    """`sanitize` for a one-line field: all whitespace runs (newlines too) become one space, ends stripped."""
    return _WS_RUN.sub(" ", sanitize(s)).strip()


def is_clean(s: str) -> bool:
    """True when `s` holds nothing `sanitize` would remove or change."""
    return not _NEEDS_WORK.search(s)


_CHAR_REF = re.compile(r"&#(?:[xX]([0-9a-fA-F]{1,8})|([0-9]{1,10}));?")


def _ref_or_nothing(m: re.Match) -> str:
    code = int(m.group(1), 16) if m.group(1) else int(m.group(2))
    if code > 0x10FFFF:
        return ""
    char = chr(code)
    return m.group(0) if char == "\n" or is_clean(char) or char in "\t\r" else ""


def drop_control_references(markup: str) -> str:
    """`markup` without character references to characters `sanitize` removes (``&#7;``, ``&#27;``,
    ``&#x9b;``, ``&#0;``, out-of-range code points); every other reference is left for the parser."""
    if "&#" not in markup:
        return markup
    return _CHAR_REF.sub(_ref_or_nothing, markup)
