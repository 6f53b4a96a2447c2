"""Reading article files: plain text, Markdown, HTML and JSONL in, `Article`s (and `InputProblem`s) out.

    load_articles(paths, *, max_bytes=5_000_000) -> Iterator[Article | InputProblem]

* Folders are walked recursively in sorted order (hidden files and folders are skipped; files of other
  types inside a folder are ignored quietly). `Article.source` is the path relative to the folder given, or
  the file's name for a file given directly; a JSONL article's source is "name.jsonl:LINE".
* Formats: ``.txt`` (first non-empty line is the title), ``.md``/``.markdown`` (markup removed, YAML-ish
  front matter read for title/outlet/url/date, soft-wrapped paragraphs joined), ``.html``/``.htm``
  (trafilatura: main text, title, site name, url, date), ``.jsonl`` (one article per line: ``title``,
  ``text``, optional ``outlet``, ``url``, ``published``).
* Every string is passed through `extract.sanitize.sanitize` first, then cleaned by `extract.clean`.
* Outlet: the JSONL field / HTML site name / Markdown front matter, else a trailing "Source: X" line, else
  the URL's host, else the file name (its stem).
* Problems never stop the run: each is yielded, in order, as an `InputProblem` (fatal = refused; non-fatal =
  the article is yielded too, with the warning in `Article.warnings`).
* `max_bytes` refuses bigger files; for JSONL it applies to each line (a feed may be large, an article not).
"""

from __future__ import annotations

import hashlib
import html
import json
import os
import re
import stat
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import urlsplit

import orjson

from claimdesk.extract.clean import Cleaned, classify, clean_lines, split_lines
from claimdesk.extract.model import Article, InputProblem, stable_id
from claimdesk.extract.sanitize import sanitize, sanitize_line

__all__ = ["SUPPORTED", "load_articles", "read_file"]

SUPPORTED: tuple[str, ...] = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl")
_SUPPORTED_TEXT = ", ".join(SUPPORTED[:-1]) + " or " + SUPPORTED[-1]
NOT_UTF8 = "not UTF-8 (decoded with replacement)"
BROKEN_LINK = "broken link (its target does not exist)"
_MISSING = object()


class _Refused(Exception):
    """A file (or JSONL line) that cannot be read: its message is the problem's reason."""


@dataclass
class _Ctx:
    display: str  # the path as the user gave it (for problems)
    source: str  # relative path (for Article.source)
    stem: str
    warnings: list[str] = field(default_factory=list)


# ---------------------------------------------------------------------------------------------- entry point
def load_articles(paths: Sequence[Path], *, max_bytes: int = 5_000_000) -> Iterator[Article | InputProblem]:
    """Articles from files and folders, with a problem for each bad input (see the module doc)."""
    for item in _load(paths, max_bytes):
        if isinstance(item, InputProblem):  # a file name may hold escapes too: make the message safe to print
            item = InputProblem(_one_line(item.source), _one_line(item.reason), item.fatal)
        yield item


def _one_line(s: str) -> str:
    return sanitize(s).replace("\n", " ")


def _load(paths: Sequence[Path], max_bytes: int) -> Iterator[Article | InputProblem]:
    seen: dict[str, str] = {}  # article id -> source, to refuse the same article twice
    for given in paths:
        path = Path(given)
        display = str(given)
        try:
            if path.is_dir():
                errors: list[OSError] = []
                files = _walk(path, errors)
                for err in errors:
                    yield InputProblem(err.filename or display, f"cannot read ({err.strerror or err})")
                if not files:
                    if not errors:
                        yield InputProblem(display, f"no supported files (looked for {_SUPPORTED_TEXT})")
                    continue
                for file in files:
                    rel = file.relative_to(path).as_posix()
                    shown = str(path / rel)
                    yield from _dedup(read_file(file, source=rel, display=shown, max_bytes=max_bytes), seen, rel, shown)
            elif path.is_symlink() and not path.exists():
                yield InputProblem(display, BROKEN_LINK)
            elif path.exists():
                if not path.is_file():
                    yield InputProblem(display, "not a regular file")
                    continue
                ext = path.suffix.lower()
                if ext not in SUPPORTED:
                    kind = f"'{path.suffix}'" if path.suffix else "(no extension)"
                    yield InputProblem(display, f"unsupported file type {kind} (use {_SUPPORTED_TEXT})")
                    continue
                items = read_file(path, source=path.name, display=display, max_bytes=max_bytes)
                yield from _dedup(items, seen, path.name, display)
            else:
                yield InputProblem(display, "no such file or directory")
        except OSError as exc:  # e.g. an unreadable folder
            yield InputProblem(display, f"cannot read ({exc.strerror or exc})")


def _dedup(
    items: Iterator[Article | InputProblem], seen: dict[str, str], source: str, display: str
) -> Iterator[Article | InputProblem]:
    """Refuse an article whose id was already yielded (the same file given twice, the same url in two feeds)."""
    for item in items:
        if isinstance(item, Article):
            first = seen.get(item.id)
            if first is not None:
                shown = display + item.source[len(source):] if item.source.startswith(source) else item.source
                yield InputProblem(shown, f"same article as {first} (skipped)")
                continue
            seen[item.id] = item.source
        yield item


def _walk(folder: Path, errors: list[OSError]) -> list[Path]:
    found: list[Path] = []
    for root, dirs, files in os.walk(folder, onerror=errors.append):
        dirs[:] = sorted(d for d in dirs if not d.startswith("."))
        for name in files:
            if not name.startswith(".") and os.path.splitext(name)[1].lower() in SUPPORTED:
                found.append(Path(root) / name)
    return sorted(found, key=lambda p: p.relative_to(folder).as_posix())


# ---------------------------------------------------------------------------------------------- one file
def read_file(path: Path, *, source: str, display: str, max_bytes: int = 5_000_000) -> Iterator[Article | InputProblem]:
    """Articles and problems of one file (its type from its extension)."""
    ext = path.suffix.lower()
    ctx = _Ctx(display=display, source=source, stem=path.stem)
    try:
        if ext == ".jsonl":
            yield from _read_jsonl(path, ctx, max_bytes)
            return
        data = _read_bytes(path, max_bytes)
        text = sanitize(_decode(data, ctx, is_html=ext in (".html", ".htm")))  # before any line-based work
        if not text.strip():
            raise _Refused("no text (only control characters)")
        if ext in (".html", ".htm"):
            article = _from_html(text, ctx)
        elif ext in (".md", ".markdown"):
            article = _from_markdown(text, ctx)
        else:
            article = _from_lines(split_lines(text), ctx)
    except _Refused as exc:
        yield InputProblem(display, str(exc))
        return
    for w in ctx.warnings:
        yield InputProblem(display, w, fatal=False)
    yield article


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device named like an article would block or never end
            raise _Refused("not a regular file")
        size = st.st_size
        if size > max_bytes:
            raise _Refused(f"too large: {size:,} bytes (limit {max_bytes:,})")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        if path.is_symlink() and not path.exists():
            raise _Refused(BROKEN_LINK) from None
        raise _Refused(f"cannot read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:  # grew while we looked
        raise _Refused(f"too large: over {max_bytes:,} bytes (limit {max_bytes:,})")
    if not data:
        raise _Refused("empty file")
    return data


_CHARSET = re.compile(rb"""<meta[^>]+charset\s*=\s*["']?\s*([A-Za-z0-9_.:-]+)""", re.IGNORECASE)


def _decode(data: bytes, ctx: _Ctx, *, is_html: bool = False) -> str:
    """Bytes to text: UTF-8 (BOM dropped), UTF-16 with a BOM, an HTML-declared charset, else UTF-8 with
    replacement and a warning. Refuses binary data and whitespace-only text."""
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            text = data.decode("utf-16")
        except UnicodeDecodeError:
            raise _Refused("binary file (not text)") from None
    else:
        if b"\x00" in data[:65536] or b"\x00" in data[-4096:]:
            raise _Refused("binary file (not text)")
        if data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
        try:
            text = data.decode("utf-8")
        except UnicodeDecodeError:
            text = ""
            if is_html:
                m = _CHARSET.search(data[:4096])
                if m and m.group(1).lower() not in (b"utf-8", b"utf8"):
                    try:
                        text = data.decode(m.group(1).decode("ascii"))
                    except (LookupError, UnicodeDecodeError):
                        text = ""
            if not text:
                text = data.decode("utf-8", errors="replace")
                if _mostly_binary(text):
                    raise _Refused("binary file (not text)")
                ctx.warnings.append(NOT_UTF8)
    if _mostly_binary(text[:65536]):
        raise _Refused("binary file (not text)")
    if not text.strip():
        raise _Refused("empty file (only whitespace)" if text else "empty file")
    return text


# control characters other than layout (\t \n \v \f \r) and ESC: text has next to none, binary data many.
# (Replacement characters do not count: a text in a legacy encoding is still text, kept with a warning.)
_NON_TEXT = re.compile("[\x00-\x08\x0e-\x1a\x1c-\x1f\x7f]")


def _mostly_binary(text: str) -> bool:
    sample = text[:65536]
    if not sample:
        return False
    return len(_NON_TEXT.findall(sample)) > 0.1 * len(sample)


# ---------------------------------------------------------------------------------------------- builders
def _article(ctx: _Ctx, cleaned: Cleaned, *, key: str | None = None, outlet: str = "", url: str = "",
             published: str = "") -> Article:
    if not cleaned.kept:
        raise _Refused("nothing left after cleaning (all lines were noise)" if cleaned.removed else "no text")
    url = sanitize_line(url) or cleaned.url
    outlet = sanitize_line(outlet) or cleaned.outlet or _host(url) or sanitize_line(ctx.stem)
    article = Article(
        id=stable_id("a", key if key is not None else ctx.source),
        source=_one_line(ctx.source),
        outlet=outlet,
        title=cleaned.title,
        text=cleaned.text,
        url=url,
        published=sanitize_line(published) or cleaned.published,
        digest=hashlib.sha1(cleaned.text.encode("utf-8")).hexdigest(),
        removed=cleaned.removed,
        warnings=tuple(ctx.warnings),
    )
    return article


def _host(url: str) -> str:
    if not url:
        return ""
    try:
        host = urlsplit(url if "//" in url else "//" + url).hostname or ""
    except ValueError:
        return ""
    return host[4:] if host.startswith("www.") else host


def _from_lines(lines: list[tuple[int, str]], ctx: _Ctx) -> Article:
    return _article(ctx, clean_lines(_unwrap(lines)))


# hard-wrapped plain text ("...of the\ncountry's armed forces"): a line that reaches close to the wrap width
# and stops mid-sentence is joined to the next. Only when the file looks wrapped: short maximum width and at
# least three lines that stop mid-sentence with the next line going on in lower case. A line that ends a
# sentence is never joined: at worst a paragraph stays split at a sentence end (harmless).
_ENDS_BLOCK = re.compile(r"[.!?…:][\"'”’)\]]*$")  # a sentence (or a lead-in) ends here
_GOES_ON = re.compile(r"[a-z0-9(\"'“‘]")  # the next line carries on the sentence


def _unwrap(lines: list[tuple[int, str]]) -> list[tuple[int, str]]:
    if len(lines) < 4:
        return lines
    width = max(len(s) for _, s in lines)
    if width > 100 or width < 40:
        return lines
    limit = int(width * 0.6)
    joins = [
        i
        for i in range(len(lines) - 1)
        if lines[i + 1][0] == lines[i][0] + 1
        and len(lines[i][1]) >= limit
        and not _ENDS_BLOCK.search(lines[i][1])
        and not classify(lines[i][1])
        and not classify(lines[i + 1][1])
    ]
    if sum(_GOES_ON.match(lines[i + 1][1]) is not None for i in joins) < 3:
        return lines
    join_set = set(joins)
    out: list[tuple[int, str]] = []
    buf: list[str] = []
    start = 0
    for i, (no, s) in enumerate(lines):
        if not buf:
            start = no
        buf.append(s)
        if i not in join_set:
            out.append((start, " ".join(buf)))
            buf = []
    return out


# ---------------------------------------------------------------------------------------------- HTML
def _from_html(html: str, ctx: _Ctx) -> Article:
    import trafilatura  # imported here: loading it costs time and plain-text users never need it
    from trafilatura.settings import set_date_params

    doc = None
    for recall in (False, True):
        try:
            doc = trafilatura.bare_extraction(
                html,
                with_metadata=True,
                include_comments=False,
                include_tables=False,
                favor_recall=recall,
                # dates from the page's markup only: no guessing from years mentioned in the text
                date_extraction_params={**set_date_params(extensive=False)},
            )
        except Exception:  # trafilatura raises various parse errors on broken markup
            doc = None
        if doc is not None and (doc.text or "").strip():
            break
    if doc is None or not (doc.text or "").strip():
        raise _Refused("no main text found in the HTML")
    cleaned = clean_lines(split_lines(sanitize(doc.text)), title=doc.title or "")
    if not cleaned.kept:
        raise _Refused("no main text found in the HTML")
    return _article(
        ctx,
        cleaned,
        outlet=doc.sitename or "",
        url=doc.url or "",
        published=doc.date or "",
    )


# ---------------------------------------------------------------------------------------------- Markdown
_FENCE = re.compile(r"^\s*(```|~~~)")
_RULE = re.compile(r"^\s*(?:[-=*_]\s*){3,}$")
_SETEXT = re.compile(r"^\s*(?:=+|-+)\s*$")
_HEADING = re.compile(r"^\s{0,3}#{1,6}(?:\s+(.*?))?(?:\s+#+)?\s*$")
_QUOTE = re.compile(r"^\s*(?:>\s?)+")
_LIST = re.compile(r"^\s*(?:[-*+]|\d{1,3}[.)])\s+")
_REFDEF = re.compile(r"^\s{0,3}\[[^\]]+\]:\s*\S+")
_IMAGE = re.compile(r"!\[[^\]]*\]\([^)]*\)|!\[[^\]]*\]\[[^\]]*\]")
_LINK = re.compile(r"\[([^\]]+)\]\((?:[^()\s]|\([^)]*\))*(?:\s+\"[^\"]*\")?\)|\[([^\]]+)\]\[[^\]]*\]")
_AUTOLINK = re.compile(r"<((?:https?|mailto):[^>\s]+)>")
_HTML_COMMENT = re.compile(r"<!--.*?-->")
_HTML_TAG = re.compile(r"</?[A-Za-z][A-Za-z0-9-]*(?:\s[^<>]*)?/?>")
_EMPH = [
    re.compile(r"\*\*(?=\S)(.+?)(?<=\S)\*\*"),
    re.compile(r"(?<!\w)__(?=\S)(.+?)(?<=\S)__(?!\w)"),
    re.compile(r"\*(?=[^\s*])(.+?)(?<=[^\s*])\*"),
    re.compile(r"(?<!\w)_(?=[^\s_])(.+?)(?<=[^\s_])_(?!\w)"),
    re.compile(r"~~(?=\S)(.+?)(?<=\S)~~"),
    re.compile(r"`([^`]+)`"),
]
_ESCAPE = re.compile(r"\\([\\`*_{}\[\]()#+\-.!>|])")
_PARK = 0xE000  # escaped ASCII punctuation c is parked as chr(_PARK + ord(c))
_UNPARK = {_PARK + ord(c): c for c in "\\`*_{}[]()#+-.!>|"}
_FRONT_KEY = re.compile(r"^([A-Za-z_][\w-]*)\s*:\s*(.*)$")
_FRONT_FIELDS = {
    "title": "title", "headline": "title",
    "outlet": "outlet", "source": "outlet", "publisher": "outlet", "site": "outlet", "site_name": "outlet",
    "sitename": "outlet",
    "url": "url", "link": "url", "canonical": "url", "canonical_url": "url",
    "date": "published", "published": "published", "pubdate": "published", "published_at": "published",
}


_INLINE_MAX = 4000  # inline markup is matched per piece of at most this size (the regexes are quadratic)
_SENTENCE_GAP = re.compile(r"(?<=[.!?])\s+")


def _inline_md(s: str) -> str:
    if any(c in s for c in "*_`[]<!~\\"):
        if len(s) > _INLINE_MAX:
            s = " ".join(_inline_piece(p) if len(p) <= _INLINE_MAX else p for p in _SENTENCE_GAP.split(s))
        else:
            s = _inline_piece(s)
    if "&" in s:  # character references, as CommonMark reads them ("AT&amp;T", "&#8220;")
        s = sanitize(html.unescape(s))
    return s


def _inline_piece(s: str) -> str:
    # escaped characters ("\\*") are parked in the private-use area while markup is removed, then restored
    s = _ESCAPE.sub(lambda m: chr(_PARK + ord(m.group(1))), s)
    s = _HTML_COMMENT.sub("", s)
    s = _IMAGE.sub("", s)
    s = _LINK.sub(lambda m: m.group(1) or m.group(2), s)
    s = _AUTOLINK.sub(r"\1", s)
    s = _HTML_TAG.sub("", s)
    for pat in _EMPH:
        s = pat.sub(r"\1", s)
    return s.translate(_UNPARK)


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


def markdown_lines(md: str) -> tuple[list[tuple[int, str]], dict[str, str]]:
    """Markdown to (line number, plain paragraph) pairs plus front-matter fields.

    Headings, list items and quotes keep their text without the marks; emphasis, code and link markup is
    dropped (the link text stays); images, link definitions, rules and fences go; the lines of one
    paragraph are joined with a space (a paragraph's number is that of its first line)."""
    raw = md.split("\n")
    meta, skip = _front_matter(raw)
    out: list[tuple[int, str]] = []
    para: list[str] = []
    para_start = 0
    in_fence = False

    def flush() -> None:
        nonlocal para
        if para:
            text = " ".join(para).strip()
            if text:
                out.append((para_start, text))
            para = []

    for idx in range(skip, len(raw)):
        no = idx + 1
        line = raw[idx].rstrip()
        if _FENCE.match(line):
            flush()
            in_fence = not in_fence
            continue
        if in_fence:
            if line.strip():
                out.append((no, line.strip()))
            continue
        if not line.strip():
            flush()
            continue
        if _SETEXT.match(line) and para:  # the paragraph above was a heading
            flush()
            continue
        if _RULE.match(line) or _REFDEF.match(line):
            flush()
            continue
        hard_break = raw[idx].endswith("  ") or line.endswith("\\")
        m = _HEADING.match(line)
        if m:
            flush()
            text = _inline_md(m.group(1) or "").strip()
            if text:
                out.append((no, text))
            continue
        block_start = bool(_QUOTE.match(line) or _LIST.match(line))
        line = _QUOTE.sub("", line)
        line = _LIST.sub("", line, count=1)
        if block_start:
            flush()
        text = _inline_md(line.strip().rstrip("\\")).strip()
        if not text:
            continue
        if para and (classify(text) or classify(para[-1])):
            flush()  # a byline / dateline / teaser line stays a line of its own, not part of a paragraph
        if not para:
            para_start = no
        para.append(text)
        if hard_break:
            flush()
    flush()
    return out, meta


def _from_markdown(md: str, ctx: _Ctx) -> Article:
    lines, meta = markdown_lines(md)
    if not lines:
        raise _Refused("no text (only Markdown markup)")
    return _article(
        ctx,
        clean_lines(lines, title=meta.get("title", "")),
        outlet=meta.get("outlet", ""),
        url=meta.get("url", ""),
        published=meta.get("published", ""),
    )


# ---------------------------------------------------------------------------------------------- JSONL
def _read_jsonl(path: Path, ctx: _Ctx, max_bytes: int) -> Iterator[Article | InputProblem]:
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
            except _Refused as exc:
                yield InputProblem(where, str(exc))
                continue
            key = article.url and "url" or "title"
            first = seen.get(article.id)
            if first is not None:
                yield InputProblem(where, f"same {key} as line {first} (skipped)")
                continue
            seen[article.id] = lineno
            for w in warnings:
                yield InputProblem(where, w, fatal=False)
            yield article
        if not any_line:
            yield InputProblem(ctx.display, "empty file (only whitespace)")


def _jsonl_article(line: str, ctx: _Ctx, lineno: int, warnings: list[str]) -> Article:
    try:
        obj = orjson.loads(line)  # fast path; the standard parser gives the clearer message (and takes NaN)
    except orjson.JSONDecodeError:
        obj = _MISSING
    try:
        if obj is _MISSING:
            obj = json.loads(line)
    except json.JSONDecodeError as exc:
        raise _Refused(f"not valid JSON ({exc.msg} at column {exc.colno})") from None
    except RecursionError:
        raise _Refused("not valid JSON (nested too deeply)") from None
    if not isinstance(obj, dict):
        raise _Refused(f"not a JSON object (a {_json_type(obj)})")
    if "text" not in obj or obj["text"] is None:
        raise _Refused("missing 'text'")
    fields: dict[str, str] = {}
    for name in ("title", "text", "outlet", "url", "published"):
        value = obj.get(name)
        if value is None:
            value = ""
        if not isinstance(value, str):
            if name in ("title", "text") or isinstance(value, (dict, list)):
                raise _Refused(f"'{name}' is not a string (a {_json_type(value)})")
            value = str(value)
        fields[name] = value
    body = sanitize(fields["text"])
    if not body.strip():
        raise _Refused("empty 'text'")
    cleaned = clean_lines(split_lines(body), title=fields["title"])
    url = sanitize_line(fields["url"])
    key = url or cleaned.title
    lctx = _Ctx(display=f"{ctx.display}:{lineno}", source=f"{ctx.source}:{lineno}", stem=ctx.stem, warnings=warnings)
    return _article(lctx, cleaned, key=key, outlet=fields["outlet"], url=url, published=fields["published"])


def _json_type(value: object) -> str:
    return {dict: "object", list: "list", str: "string", bool: "boolean", int: "number", float: "number"}.get(
        type(value), "null"
    )
