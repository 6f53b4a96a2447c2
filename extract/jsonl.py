"""JSONL feeds: one article per line (``title``, ``text``, optional ``outlet``, ``url``, ``published``,
``authors``), each line read on its own.

    read_jsonl(path, ctx, max_bytes) -> Iterator[Article | InputProblem]

A bad line is one `InputProblem` named "file:LINE" and the rest goes on: not JSON, not an object, no
``text``, a field of the wrong type (``"url": 5``, ``"published": true`` - never coerced), the same url or
title as an earlier line, a line over `max_bytes`. ``published`` is normalised to ISO 8601, the original
kept. A line that is not UTF-8 is decoded with replacement characters and a warning.
"""

from __future__ import annotations

import json
import stat
from collections.abc import Iterator
from pathlib import Path

import orjson

from claimdesk.extract.clean import clean_lines, split_lines
from claimdesk.extract.decode import NOT_UTF8
from claimdesk.extract.document import Meta, ReadContext, Refused, make_article
from claimdesk.extract.model import Article, InputProblem
from claimdesk.extract.sanitize import sanitize, sanitize_line

__all__ = ["read_jsonl", "BROKEN_LINK"]

BROKEN_LINK = "broken link (its target does not exist)"
_MISSING = object()
_STRING_FIELDS = ("title", "text", "outlet", "url", "published")


def read_jsonl(path: Path, ctx: ReadContext, max_bytes: int) -> Iterator[Article | InputProblem]:
    try:
        if not stat.S_ISREG(path.stat().st_mode):
            yield InputProblem(ctx.display, "not a regular file")
            return
        fh = path.open("rb")
    except OSError as exc:
        broken = path.is_symlink() and not path.exists()
        yield InputProblem(ctx.display, BROKEN_LINK if broken else f"cannot read ({exc.strerror or exc})")
        return
    with fh:
        head = fh.read(65536)
        if not head:
            yield InputProblem(ctx.display, "empty file")
            return
        if b"\x00" in head:
            yield InputProblem(ctx.display, "binary file (not text)")
            return
        fh.seek(0)
        seen: dict[str, int] = {}
        any_line = False
        for lineno, raw in enumerate(fh, start=1):
            if lineno == 1 and raw.startswith(b"\xef\xbb\xbf"):
                raw = raw[3:]
            if not raw.strip():
                continue
            any_line = True
            where = f"{ctx.display}:{lineno}"
            if len(raw) > max_bytes:
                yield InputProblem(where, f"too large: {len(raw):,} bytes (limit {max_bytes:,})")
                continue
            warnings: list[str] = []
            try:
                line = raw.decode("utf-8")
            except UnicodeDecodeError:
                line = raw.decode("utf-8", errors="replace")
                warnings.append(NOT_UTF8)
            try:
                article = _jsonl_article(line, ctx, lineno, warnings)
            except Refused as exc:
                yield InputProblem(where, str(exc))
                continue
            key = article.url and "url" or "title"
            first = seen.get(article.id)
            if first is not None:
                yield InputProblem(where, f"same {key} as line {first} (skipped)")
                continue
            seen[article.id] = lineno
            for w in article.warnings:
                yield InputProblem(where, w, fatal=False)
            yield article
        if not any_line:
            yield InputProblem(ctx.display, "empty file (only whitespace)")


def _jsonl_article(line: str, ctx: ReadContext, lineno: int, warnings: list[str]) -> Article:
    try:
        obj = orjson.loads(line)  # fast path; the standard parser gives the clearer message (and takes NaN)
    except orjson.JSONDecodeError:
        obj = _MISSING
    try:
        if obj is _MISSING:
            obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise Refused(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise Refused("not valid JSON (nested too deeply)") from None
    if not isinstance(obj, dict):
        raise Refused(f"not a JSON object (a {_json_type(obj)})")
    if "text" not in obj or obj["text"] is None:
        raise Refused("missing 'text'")
    fields: dict[str, str] = {}
    for name in _STRING_FIELDS:
        value = obj.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            raise Refused(f"'{name}' is not a string (a {_json_type(value)})")
        fields[name] = value
    authors = obj.get("authors", obj.get("author"))
    if authors is None:
        authors = []
    elif isinstance(authors, str):
        authors = [authors]
    if not isinstance(authors, list) or not all(isinstance(a, str) for a in authors):
        raise Refused(f"'authors' is not a string or a list of strings (a {_json_type(authors)})")
    body = sanitize(fields["text"])
    if not body.strip():
        raise Refused("empty 'text'")
    cleaned = clean_lines(split_lines(body), title=fields["title"])
    url = sanitize_line(fields["url"])
    key = url or cleaned.title
    lctx = ReadContext(display=f"{ctx.display}:{lineno}", source=f"{ctx.source}:{lineno}", stem=ctx.stem,
                       warnings=warnings)
    meta = Meta(outlet=fields["outlet"], url=url, published=fields["published"], authors=tuple(authors[:20]))
    return make_article(lctx, cleaned, meta, key=key)


def _json_type(value: object) -> str:
    return {dict: "object", list: "list", str: "string", bool: "boolean", int: "number", float: "number"}.get(
        type(value), "null"
    )
