"""Markdown articles (``.md``, ``.markdown``): markup removed through `markdown-it-py` (CommonMark, linear
time), YAML-style front matter read for title / outlet / url / date / authors.

    markdown_lines(md) -> (list of (line number, plain paragraph), front-matter fields)
    read_markdown(text, ctx) -> Article

Headings, list items and quotes keep their text without the marks; emphasis, code and link markup go (the
link text stays); images, link definitions, rules and raw HTML tags go; character references are decoded.
The lines of one paragraph are joined with a space - except that a byline / dateline / teaser line stays a
line of its own (the cleaner removes it whole) - and a hard break ends a paragraph. A paragraph's number is
that of its first line in the file.
"""

from __future__ import annotations

import re
from functools import lru_cache

from claimdesk.extract.clean import classify, clean_lines
from claimdesk.extract.document import Meta, ReadContext, Refused, make_article
from claimdesk.extract.model import Article
from claimdesk.extract.sanitize import drop_control_references, sanitize

__all__ = ["markdown_lines", "read_markdown"]

_FRONT_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")
_FRONT_FIELDS = {
    "title": "title", "headline": "title",
    "outlet": "outlet", "source": "outlet", "publisher": "outlet", "site": "outlet", "site_name": "outlet",
    "sitename": "outlet",
    "url": "url", "link": "url", "canonical": "url", "canonical_url": "url",
    "date": "published", "published": "published", "pubdate": "published", "published_at": "published",
    "author": "authors", "authors": "authors", "byline": "authors",
}
_TAG = re.compile(r"<!--.*?-->|</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>", re.DOTALL)


@lru_cache(maxsize=1)
def _parser():
    from markdown_it import MarkdownIt

    md = MarkdownIt("commonmark").enable("strikethrough")
    # link targets are dropped (only the link text is kept): no need to normalise or vet them
    md.normalizeLink = lambda url: url
    md.validateLink = lambda url: True
    return md


def _front_matter(lines: list[str]) -> tuple[dict[str, str], int]:
    """(fields, number of lines it takes) for a leading '---' ... '---' block."""
    if not lines or lines[0].strip() != "---":
        return {}, 0
    for end in range(1, min(len(lines), 60)):
        if lines[end].strip() in ("---", "..."):
            meta: dict[str, str] = {}
            for line in lines[1:end]:
                m = _FRONT_KEY.match(line.strip())
                if m and m.group(1).lower() in _FRONT_FIELDS:
                    value = m.group(2).strip().strip("\"'")
                    meta.setdefault(_FRONT_FIELDS[m.group(1).lower()], value)
            return meta, end + 1
    return {}, 0


def _inline_lines(token) -> list[list[str]]:
    """The pieces of an inline token, one list per source line (a hard break starts a new paragraph: marked
    by an empty list)."""
    lines: list[list[str]] = [[]]
    for child in token.children or ():
        kind = child.type
        if kind in ("text", "code_inline"):
            lines[-1].append(child.content)
        elif kind == "softbreak":
            lines.append([])
        elif kind == "hardbreak":
            lines.append(["\x00"])  # a paragraph break marker, removed below
            lines.append([])
        # images, raw inline HTML and the open/close marks of emphasis and links carry no text of their own
    return lines


def markdown_lines(md: str) -> tuple[list[tuple[int, str]], dict[str, str]]:
    """Markdown to (line number, plain paragraph) pairs plus front-matter fields (see the module doc)."""
    raw = md.split("\n")
    meta, skip = _front_matter(raw)
    body = drop_control_references("\n".join(raw[skip:]))  # "&#27;" goes as a raw ESC would
    out: list[tuple[int, str]] = []
    for token in _parser().parse(body):
        first = (token.map[0] if token.map else 0) + skip + 1
        if token.type in ("fence", "code_block"):
            for i, line in enumerate(token.content.split("\n")):
                if line.strip():
                    out.append((first + 1 + i if token.type == "fence" else first + i, line.strip()))
        elif token.type == "html_block":
            for i, line in enumerate(token.content.split("\n")):
                text = _TAG.sub("", line).strip()
                if text:
                    out.append((first + i, text))
        elif token.type == "inline":
            out.extend(_paragraphs(_inline_lines(token), first))
    return [(no, sanitize(text)) for no, text in out if sanitize(text).strip()], meta


def _paragraphs(lines: list[list[str]], first: int) -> list[tuple[int, str]]:
    out: list[tuple[int, str]] = []
    para: list[str] = []
    start = first
    no = first
    for pieces in lines:
        if pieces == ["\x00"]:  # hard break: the paragraph ends here (the break sits on the same line)
            if para:
                out.append((start, " ".join(para)))
            para = []
            no -= 1
        else:
            text = "".join(pieces).strip()
            if text:
                if para and (classify(text) or classify(para[-1])):
                    out.append((start, " ".join(para)))  # a byline / dateline / teaser line stays on its own
                    para = []
                if not para:
                    start = no
                para.append(text)
        no += 1
    if para:
        out.append((start, " ".join(para)))
    return out


def read_markdown(md: str, ctx: ReadContext) -> Article:
    lines, meta = markdown_lines(md)
    if not lines:
        raise Refused("no text (only Markdown markup)")
    authors = tuple(a.strip() for a in re.split(r"\s*(?:,|;|\band\b)\s*", meta.get("authors", "")) if a.strip())
    return make_article(
        ctx,
        clean_lines(lines, title=meta.get("title", "")),
        Meta(outlet=meta.get("outlet", ""), url=meta.get("url", ""), published=meta.get("published", ""),
             authors=authors),
    )
