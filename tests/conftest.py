"""Fixtures shared across the suite: the sample story, read once per test process.

The spaCy pipeline costs ~1.5 s to load and the sample ingest a few seconds more, so both are
session-scoped; tests that write get their own copy of the ingested database.
"""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SAMPLE_DIR = ROOT / "sample_data"


@pytest.fixture(scope="session")
def sample_dir() -> Path:
    return SAMPLE_DIR


@pytest.fixture(scope="session")
def nlp():
    from claimdesk.extract.nlp import load_pipeline

    return load_pipeline()


@pytest.fixture(scope="session")
def sample_articles():
    from claimdesk.extract.model import Article
    from claimdesk.extract.readers import load_articles

    items = list(load_articles([SAMPLE_DIR]))
    articles = [a for a in items if isinstance(a, Article)]
    assert len(articles) == 5, items
    return articles


@pytest.fixture(scope="session")
def sample_claims(sample_articles, nlp):
    """article id -> its claims, from the real pipeline."""
    from claimdesk.extract.claims import extract_claims

    return {a.id: list(cs) for a, cs in extract_claims(sample_articles, nlp=nlp)}


@pytest.fixture(scope="session")
def _ingested_sample_db(tmp_path_factory, nlp) -> Path:
    from claimdesk.store.database import Database
    from claimdesk.tui.ingest import ingest_paths

    folder = tmp_path_factory.mktemp("sample") / "claimdesk.db"
    ingest_paths([SAMPLE_DIR], Database.open(folder, create=True))
    return folder


@pytest.fixture
def sample_db(_ingested_sample_db, tmp_path) -> Path:
    """A private copy of the database made by ingesting sample_data (a folder path)."""
    target = tmp_path / "claimdesk.db"
    shutil.copytree(_ingested_sample_db, target)
    return target
