"""One ingest run: read the inputs, extract claims from what is new or changed, store it all.

The only place that joins `extract` (pure) to `store` (the database). Used by `claimdesk ingest`
and by `claimdesk review PATH...` (inside a worker). spaCy is imported here only when there is
new text to read: re-ingesting unchanged articles never loads the pipeline.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from claimdesk.extract.model import Article, Claim, InputProblem
from claimdesk.extract.readers import load_articles
from claimdesk.store.database import Database, IngestResult

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

    articles_new = property(lambda self: self.stored.articles_new)
    articles_changed = property(lambda self: self.stored.articles_changed)
    claims_added = property(lambda self: self.stored.claims_added)
    claims_removed = property(lambda self: self.stored.claims_removed)
    orphaned = property(lambda self: self.stored.orphaned)  # judgements kept on vanished claims


def ingest_paths(
    paths: Sequence[Path],
    db: Database,
    *,
    processes: int = 1,
    max_bytes: int = DEFAULT_MAX_BYTES,
    progress: Progress | None = None,
    on_problem: Callable[[InputProblem], None] | None = None,
) -> IngestSummary:
    """Ingest `paths` into `db`. Bad inputs are reported and skipped; the rest goes on."""
    summary = IngestSummary()
    known = {a.id: a.digest for a in db.corpus().articles}
    todo: list[Article] = []
    seen: set[str] = set()
    for item in load_articles(list(paths), max_bytes=max_bytes):
        if isinstance(item, InputProblem):
            (summary.refused if item.fatal else summary.warnings).append(item)
            if on_problem:
                on_problem(item)
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

        with db.corpus_update() as update:  # read the corpus under its lock, link, then write
            merge = update.merge(todo, claims)
            if merge.changes:
                update.write(merge, link_corpus(merge.articles, merge.claims))
        summary.stored = update.result
    corpus = db.corpus()
    summary.articles_total = len(corpus.articles)
    summary.claims_total = len(corpus.claims)
    summary.suggestions = Counter(
        s.status for s in corpus.linkage.suggestions.values()
    )
    return summary
