"""Reading article files: plain text, Markdown, HTML and JSONL in, `Article`s (and `InputProblem`s) out.

    load_articles(paths, *, max_bytes=5_000_000) -> Iterator[Article | InputProblem]
    read_document(data, *, kind, source, display, url="", charset="") -> Iterator[Article | InputProblem]

* Folders are walked recursively in sorted order (hidden files and folders are skipped; files of other
  types inside a folder are ignored quietly). `Article.source` is the path relative to the folder given, or
  the file's name for a file given directly; a JSONL article's source is "name.jsonl:LINE".
* Formats, one module each: ``.txt`` (here: first non-empty line is the title, hard wraps undone),
  ``.md``/``.markdown`` (`extract.markdown`), ``.html``/``.htm`` (`extract.html_page`), ``.jsonl``
  (`extract.jsonl`). Bytes become text in `extract.decode`; the article is made in `extract.document`
  (outlet, ISO date, id). `read_document` reads bytes that came from elsewhere (a fetched page).
* Every string is passed through `extract.sanitize.sanitize` first, then cleaned by `extract.clean`.
* Problems never stop the run: each is yielded, in order, as an `InputProblem` (fatal = refused; non-fatal =
  the article is yielded too, with the warning in `Article.warnings`).
* `max_bytes` refuses bigger files; for JSONL it applies to each line (a feed may be large, an article not).
"""

from __future__ import annotations

import os
import re
import stat
from collections.abc import Iterator, Sequence
from pathlib import Path

from claimdesk.extract.clean import classify, clean_lines, split_lines
from claimdesk.extract.decode import NOT_UTF8, declared_charset, decode
from claimdesk.extract.document import ReadContext, Refused, make_article, one_line
from claimdesk.extract.html_page import read_html
from claimdesk.extract.jsonl import BROKEN_LINK, read_jsonl
from claimdesk.extract.markdown import markdown_lines, read_markdown
from claimdesk.extract.model import Article, InputProblem
from claimdesk.extract.sanitize import sanitize

__all__ = ["SUPPORTED", "NOT_UTF8", "BROKEN_LINK", "load_articles", "read_file", "read_document", "markdown_lines"]

SUPPORTED: tuple[str, ...] = (".txt", ".md", ".markdown", ".html", ".htm", ".jsonl")
_SUPPORTED_TEXT = ", ".join(SUPPORTED[:-1]) + " or " + SUPPORTED[-1]
KINDS = {".txt": "text", ".md": "markdown", ".markdown": "markdown", ".html": "html", ".htm": "html"}


# ---------------------------------------------------------------------------------------------- entry point
def load_articles(paths: Sequence[Path], *, max_bytes: int = 5_000_000) -> Iterator[Article | InputProblem]:
    """Articles from files and folders, with a problem for each bad input (see the module doc)."""
    for item in _load(paths, max_bytes):
        if isinstance(item, InputProblem):  # a file name may hold escapes too: make the message safe to print
            item = InputProblem(one_line(item.source), one_line(item.reason), item.fatal)
        yield item


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
    ctx = ReadContext(display=display, source=source, stem=path.stem)
    if ext == ".jsonl":
        yield from read_jsonl(path, ctx, max_bytes)
        return
    try:
        data = _read_bytes(path, max_bytes)
    except Refused as exc:
        yield InputProblem(display, str(exc))
        return
    yield from _read(data, KINDS.get(ext, "text"), ctx)


def read_document(data: bytes, *, kind: str, source: str, display: str, url: str = "",
                  charset: str = "", date: str = "") -> Iterator[Article | InputProblem]:
    """The article (and problems) of `data` read from elsewhere - a fetched page: `kind` is "html",
    "markdown" or "text"; `url` where it came from; `charset` what the server said it is; `date` a
    publication date from outside (a feed item's), used when the document states none."""
    ctx = ReadContext(display=display, source=source, stem="", url=url, date=date)
    yield from _read(data, kind, ctx, url=url, charset=charset)


def _read(data: bytes, kind: str, ctx: ReadContext, *, url: str = "", charset: str = "") -> Iterator[Article | InputProblem]:
    try:
        declared = charset or (declared_charset(data) if kind == "html" else "")
        text = sanitize(decode(data, ctx.warnings, declared=declared))  # before any line-based work
        if not text.strip():
            raise Refused("no text (only control characters)")
        if kind == "html":
            article = read_html(text, ctx, url=url)
        elif kind == "markdown":
            article = read_markdown(text, ctx)
        else:
            article = make_article(ctx, clean_lines(_unwrap(split_lines(text))))
    except Refused as exc:
        yield InputProblem(ctx.display, str(exc))
        return
    for w in article.warnings:
        yield InputProblem(ctx.display, w, fatal=False)
    yield article


def _read_bytes(path: Path, max_bytes: int) -> bytes:
    try:
        st = path.stat()
        if not stat.S_ISREG(st.st_mode):  # a FIFO or device named like an article would block or never end
            raise Refused("not a regular file")
        size = st.st_size
        if size > max_bytes:
            raise Refused(f"too large: {size:,} bytes (limit {max_bytes:,})")
        with path.open("rb") as fh:
            data = fh.read(max_bytes + 1)
    except OSError as exc:
        if path.is_symlink() and not path.exists():
            raise Refused(BROKEN_LINK) from None
        raise Refused(f"cannot read ({exc.strerror or exc})") from None
    if len(data) > max_bytes:  # grew while we looked
        raise Refused(f"too large: over {max_bytes:,} bytes (limit {max_bytes:,})")
    if not data:
        raise Refused("empty file")
    return data



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
