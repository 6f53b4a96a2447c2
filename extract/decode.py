"""Bytes to text for the article readers: `decode(data, warnings, declared="")`.

UTF-8 (a BOM dropped) and UTF-16 with a BOM are read as they are. Anything else is decoded in the charset
the page declares (HTTP header or ``<meta charset>``) when that decodes cleanly, else in the encoding
`charset_normalizer` detects - a cp1252 or cp1251 file comes back exactly - with a warning naming it; only
when no encoding fits is UTF-8 decoded with replacement characters (and a warning). Binary data (NUL bytes,
mostly control characters) and whitespace-only text are refused with `Refused`.
"""

from __future__ import annotations

import codecs
import re

from claimdesk.extract.document import Refused

__all__ = ["decode", "NOT_UTF8", "declared_charset"]

NOT_UTF8 = "not UTF-8 (decoded with replacement)"
_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)
# control characters other than layout (\t \n \v \f \r) and ESC: text has next to none, binary data many.
# (Replacement characters do not count: a text in a legacy encoding is still text, kept with a warning.)
_NON_TEXT = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


def declared_charset(data: bytes) -> str:
    """The charset an HTML page declares in its first 4 KiB (``<meta charset=...>``), else ""."""
    m = _CHARSET.search(data[:4096])
    return m.group(1).decode("ascii", "replace") if m else ""


def decode(data: bytes, warnings: list[str], *, declared: str = "") -> str:
    """`data` as text (see the module doc); a warning is appended to `warnings` when it was not UTF-8."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise Refused("binary file (not text)") from None
    else:
        if b"\x00" in data[:65536] or b"\x00" in data[-4096:]:
            raise Refused("binary file (not text)")
        if data.startswith(codecs.BOM_UTF8):
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = _legacy(data, warnings, declared)
    if _mostly_binary(text):
        raise Refused("binary file (not text)")
    if not text.strip():
        raise Refused("empty file (only whitespace)" if text else "empty file")
    return text


def _legacy(data: bytes, warnings: list[str], declared: str) -> str:
    name = _codec(declared)
    if name and name != "utf-8":
        try:
            return data.decode(name)  # the page says what it is: no warning
        except UnicodeDecodeError:
            pass
    from charset_normalizer import from_bytes

    best = from_bytes(data[:1_000_000]).best()
    if best is not None and _codec(best.encoding) not in ("", "utf-8"):
        try:
            text = data.decode(best.encoding)
        except UnicodeDecodeError:
            text = ""
        if text and not _mostly_binary(text):
            warnings.append(f"not UTF-8 (read as {_plainest(data, text, best.encoding)})")
            return text
    text = data.decode("utf-8", errors="replace")
    if _mostly_binary(text):
        raise Refused("binary file (not text)")
    warnings.append(NOT_UTF8)
    return text


def _plainest(data: bytes, text: str, detected: str) -> str:
    """The name to report: cp1252 (Windows Western, the usual legacy encoding) when it reads the bytes as the
    same text as the detected one (cp1250 and cp1252 agree on most Western text)."""
    try:
        return "cp1252" if data.decode("cp1252") == text else detected
    except UnicodeDecodeError:
        return detected


def _codec(name: str) -> str:
    try:
        return codecs.lookup(name).name if name else ""
    except LookupError:
        return ""


def _mostly_binary(text: str) -> bool:
    sample = text[:65536]
    return bool(sample) and len(_NON_TEXT.findall(sample)) > 0.1 * len(sample)
