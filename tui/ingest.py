"""One ingest run: read the inputs, extract claims from what is new or changed, store it all.

The only place that joins `extract` (pure) to `store` (the database). Used by `claimdesk ingest`
and by `claimdesk review PATH...` (inside a worker). spaCy is imported here only when there is
new text to read: re-ingesting unchanged articles never loads the pipeline.

Inputs are files, folders, http(s) URLs and feed files (``.rss``/``.atom``/``.xml`` given directly); URLs
and feeds go through `tui.web` (page cache, fetcher). `db` may be a `Database` or a function that opens
(creates) one: it is called only once something was read, so a run where every input was refused
creates no database. Pages fetched this run are kept in the database folder's page cache once the
database is open.
"""

from __future__ import annotations

import dataclasses
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from claimdesk.extract.language import language_warning
from claimdesk.extract.model import Article, Claim, InputProblem
from claimdesk.extract.readers import load_articles
from claimdesk.store.database import Database, IngestResult
from claimdesk.store.pages import PageCache, PageCacheError
from claimdesk.tui.web import FEED_SUFFIXES, WebOptions, WebReader, is_url

DEFAULT_MAX_BYTES = 5_000_000

# progress(done, total, what): called after each article's claims are extracted.
Progress = Callable[[int, int, str], None]


@dataclass
class IngestSummary:
    """What one run did: the store's result for the new and changed articles, plus what only
    the reading stage knows (refused files, boilerplate, unchanged articles skipped early)."""

    stored: IngestResult = field(default_factory=IngestResult)
    articles_unchanged: int = 0  # same text as in the database: not read again
    articles_total: int = 0  # in the database after the run
    claims_total: int = 0
    suggestions: Counter = field(default_factory=Counter)  # status ("" = none) -> count
    boilerplate_removed: Counter = field(default_factory=Counter)  # reason -> lines removed
    refused: list[InputProblem] = field(default_factory=list)
    warnings: list[InputProblem] = field(default_factory=list)
    words: int = 0
    database: Database | None = None  # None when nothing could be read and no database was opened

    articles_new = property(lambda self: self.stored.articles_new)
    articles_changed = property(lambda self: self.stored.articles_changed)
    claims_added = property(lambda self: self.stored.claims_added)
    claims_removed = property(lambda self: self.stored.claims_removed)
    orphaned = property(lambda self: self.stored.orphaned)  # judgements kept on vanished claims


def ingest_paths(
    paths: Sequence[Path | str],
    db: Database | Callable[[], Database],
    *,
    processes: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
    on_problem: Callable[[InputProblem], None] | None = None,
    web: WebOptions | None = None,
    fetch_progress: Progress | None = None,
) -> IngestSummary:
    """Ingest `paths` (files, folders, URLs, feed files) into `db`. Bad inputs are reported and skipped; the
    rest goes on. When `db` is an opener and nothing could be read, it is never called."""
    summary = IngestSummary()
    database = db if isinstance(db, Database) else None
    known = {a.id: a.digest for a in database.corpus().articles} if database is not None else {}
    todo: list[Article] = []
    seen: set[str] = set()

    def problem(item: InputProblem) -> None:
        (summary.refused if item.fatal else summary.warnings).append(item)
        if on_problem:
            on_problem(item)

    files, urls, feeds = split_inputs(paths)
    web = web or WebOptions()
    if max_bytes != web.settings.max_bytes:
        web = dataclasses.replace(web, settings=dataclasses.replace(web.settings, max_bytes=max_bytes))
    cache = PageCache(database.path, group_shared=database.group_shared) if database is not None else None
    reader = WebReader(web, cache, fetch_progress)
    sources = [load_articles(files, max_bytes=max_bytes)] if files else []
    if urls or feeds:
        sources.append(reader.read(urls, feeds))
    for source in sources:
        for item in source:
            if isinstance(item, InputProblem):
                problem(item)
                continue
            if item.id in seen:  # the same article given twice in one run
                continue
            seen.add(item.id)
            for removed in item.removed:
                summary.boilerplate_removed[removed.reason] += 1
            if known.get(item.id) == item.digest:
                summary.articles_unchanged += 1
                continue
            todo.append(item)

    if database is None:
        if not todo:
            return summary  # nothing read: no database made
        database = db()  # type: ignore[operator]
    summary.database = database
    _keep_pages(reader, database, problem)
    todo = [_with_language_warning(a, problem) for a in todo]

    claims: dict[str, list[Claim]] = {}
    if todo:
        from claimdesk.extract.claims import extract_claims  # spaCy: only when there is text to read

        total = len(todo)
        for done, (article, found) in enumerate(
            extract_claims(todo, processes=processes), start=1
        ):
            claims[article.id] = list(found)
            summary.words += len(article.text.split())
            if progress:
                progress(done, total, article.source)
        from claimdesk.extract.links import link_corpus  # pure: the store only stores

        with database.corpus_update() as update:  # read the corpus under its lock, link, then write
            merge = update.merge(todo, claims)
            if merge.changes:
                update.write(merge, link_corpus(merge.articles, merge.claims))
        summary.stored = update.result
    corpus = database.corpus()
    summary.articles_total = len(corpus.articles)
    summary.claims_total = len(corpus.claims)
    summary.suggestions = Counter(
        s.status for s in corpus.linkage.suggestions.values()
    )
    return summary


def split_inputs(paths: Sequence[Path | str]) -> tuple[list[Path], list[str], list[str]]:
    """(files and folders, URLs, feed files) in the order given."""
    files: list[Path] = []
    urls: list[str] = []
    feeds: list[str] = []
    for given in paths:
        text = str(given) if isinstance(given, Path) else given
        if isinstance(given, str) and is_url(given):
            urls.append(given.strip())
        elif Path(text).suffix.lower() in FEED_SUFFIXES and not Path(text).is_dir():
            feeds.append(text)
        else:
            files.append(Path(text))
    return files, urls, feeds


def _keep_pages(reader: WebReader, database: Database, problem: Callable[[InputProblem], None]) -> None:
    if not reader.fetched:
        return
    cache = PageCache(database.path, group_shared=database.group_shared)
    for page in reader.fetched:
        try:
            cache.put(page)
        except (PageCacheError, OSError) as exc:
            reason = str(exc) if isinstance(exc, PageCacheError) else f"cannot keep the page ({exc.strerror or exc})"
            problem(InputProblem(page.url, reason, fatal=False))


def _with_language_warning(article: Article, problem: Callable[[InputProblem], None]) -> Article:
    warning = language_warning(article.text)
    if not warning:
        return article
    problem(InputProblem(article.source, warning, fatal=False))
    return dataclasses.replace(article, warnings=article.warnings + (warning,))
