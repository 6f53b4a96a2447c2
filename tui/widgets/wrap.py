"""Word wrapping measured in terminal cells, as the screen's panes draw text.

`wrap_offsets` lays out the article pane's paragraphs, with a fast path for text whose every
character is one cell wide (`one_cell_wide`: nearly all news text).
"""

from __future__ import annotations

from rich.cells import cell_len

# characters of news text one cell wide (Latin, Greek, Cyrillic, dashes, quotes, currency ...),
# as rich measures them
ONE_CELL = frozenset(
    ch
    for lo, hi in ((0x20, 0x7E), (0xA0, 0x2FF), (0x370, 0x52F), (0x2000, 0x206F), (0x20A0, 0x20CF),
                   (0x2100, 0x214F), (0x2190, 0x21FF))
    for ch in map(chr, range(lo, hi + 1))
    if ch.isprintable() and cell_len(ch) == 1
)


def one_cell_wide(text: str) -> bool:
    """True when every character of `text` takes one terminal cell (columns are offsets)."""
    return (text.isascii() and text.isprintable()) or ONE_CELL.issuperset(text)


def wrap_offsets(text: str, width: int) -> list[tuple[int, int]]:
    """Word-wrap `text` to `width` cells; (start, end) of each line, trailing spaces dropped."""
    width = max(width, 8)
    if not text:
        return [(0, 0)]
    if one_cell_wide(text):
        return _wrap_narrow(text, width)  # one cell a character: no per-character widths
    return _wrap_cells(text, width)


def _wrap_cells(text: str, width: int) -> list[tuple[int, int]]:
    """`wrap_offsets` for any text: measures every character."""
    lines: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    while start < n:
        used = 0
        i = start
        last_space = -1
        while i < n:
            w = cell_len(text[i])
            if used + w > width:
                break
            if text[i] == " ":
                last_space = i
            used += w
            i += 1
        if i >= n:
            lines.append((start, n))
            break
        if last_space > start:
            end = last_space
            nxt = last_space + 1
        else:
            end = i
            nxt = i
        lines.append((start, end))
        while nxt < n and text[nxt] == " ":
            nxt += 1
        start = nxt
    return lines or [(0, 0)]


def _wrap_narrow(text: str, width: int) -> list[tuple[int, int]]:
    """`wrap_offsets` for text whose every character is one cell wide (same lines, C-speed scans)."""
    lines: list[tuple[int, int]] = []
    start = 0
    n = len(text)
    rfind = text.rfind
    while start < n:
        if n - start <= width:
            lines.append((start, n))
            break
        last_space = rfind(" ", start, start + width)
        if last_space > start:
            end = nxt = last_space
            nxt += 1
        else:
            end = nxt = start + width
        lines.append((start, end))
        while nxt < n and text[nxt] == " ":
            nxt += 1
        start = nxt
    return lines or [(0, 0)]
