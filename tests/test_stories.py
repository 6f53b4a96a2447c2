"""Story groups (extract.stories) on real multi-outlet news: ECB+ development topics and the sample.

Each ECB+ topic holds two look-alike events (two bombings of two banks, two killings in two towns),
each reported by about ten outlets; its documents are named N_Mecb (one event) and N_Mecbplus (the
other). A story group should hold one event's articles: all of them (else the linker cannot reach
the pairs that cross groups) and nothing of the other event (else look-alikes get linked). These
are dev topics, never the validation topics `make eval` reports on.
"""

from __future__ import annotations

import random
import sys
from collections import Counter, defaultdict
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import ecbplus as E  # noqa: E402

from claimdesk.extract import stories as S  # noqa: E402

# 7: one boxer's two title defences; 8: two bank bombings; 22: two shootings
TOPICS = ("7", "8", "22")

pytestmark = pytest.mark.xdist_group("ecbplus")


@pytest.fixture(scope="module")
def topics(nlp):
    assert E.available(), f"ECB+ data missing: {E.GOLD} (see bench/README.md)"
    _gold, data = E.load(TOPICS)
    out = {}
    for t in TOPICS:
        articles, claims = E.topic_claims(data, t, nlp=nlp, cache=False)
        out[t] = ({a.id: E.doc_of(a) for a in articles}, claims)
    return out


def _event(doc: str) -> tuple[str, bool]:
    return doc.split("_")[0], doc.endswith("ecbplus")


def _pairwise(groups: dict[str, int], docs: dict[str, str]) -> tuple[float, float]:
    """Precision and recall over article pairs of "same group" against "same event"."""

    def pairs(counts: Counter) -> int:
        return sum(k * (k - 1) // 2 for k in counts.values())

    members: dict[int, list[str]] = defaultdict(list)
    for art, g in groups.items():
        members[g].append(art)
    both = sum(pairs(Counter(_event(docs[a]) for a in arts)) for arts in members.values())
    grouped = sum(len(arts) * (len(arts) - 1) // 2 for arts in members.values())
    same = pairs(Counter(_event(docs[a]) for a in groups))
    return (both / grouped if grouped else 1.0), both / same


def test_each_event_is_one_group_when_its_topic_is_grouped_alone(topics):
    # the old grouping (one pass, fixed mean-similarity bound 0.20) split these events into many
    # groups: pairwise recall 0.73, 0.67 and 0.35
    for t, (docs, claims) in topics.items():
        groups = S.stories(claims)
        precision, recall = _pairwise(groups, docs)
        assert precision >= 0.95, (t, precision)
        assert recall >= 0.90, (t, recall)


def test_many_stories_in_one_corpus_keep_look_alike_events_apart(topics):
    # all three topics together: with IDF over the whole corpus the story's own vocabulary (title,
    # belt, knockout) is rare, so it weighed as much as who and where, and the old grouping merged
    # topic 7's two fights (pairwise precision 0.75)
    docs = {a: d for ds, _c in topics.values() for a, d in ds.items()}
    claims = [c for _d, cs in topics.values() for c in cs]
    groups = S.stories(claims)
    precision, recall = _pairwise(groups, docs)
    assert precision >= 0.95
    assert recall >= 0.90
    for t, (ds, _c) in topics.items():  # and no group reaches into another topic
        assert not {groups[a] for a in ds} & {groups[a] for d2, _ in topics.values() if d2 is not ds for a in d2}


def test_grouping_does_not_depend_on_the_order_of_claims(topics):
    claims = [c for _d, cs in topics.values() for c in cs]
    shuffled = claims[:]
    random.Random(8).shuffle(shuffled)
    a, b = S.stories(claims), S.stories(shuffled)
    assert a == b


def test_a_higher_threshold_splits_stories(topics):
    docs, claims = topics["8"]
    default = S.stories(claims)
    strict = S.stories(claims, threshold=0.9)
    assert len(set(strict.values())) > len(set(default.values()))
    # still never a mixed group: a higher bound only splits
    assert _pairwise(strict, docs)[0] == 1.0


def test_the_sample_story_stays_one_story(sample_claims):
    claims = [c for cs in sample_claims.values() for c in cs]
    groups = S.stories(claims)
    assert set(groups) == set(sample_claims)
    assert len(set(groups.values())) == 1


def test_merge_bound_grows_from_a_lone_article_to_established_groups():
    need = S.bound(0.25, 0.06)
    assert need(1, 40) == pytest.approx(0.06)  # a lone article joins the story it is closest to
    assert need(2, 9) < need(4, 9) < need(9, 9) < 0.25
    assert need(400, 400) == pytest.approx(0.25, abs=0.003)
    assert S.bound(0.2)(1, 1) == S.bound(0.2)(50, 50) == 0.2
    assert S.bound(0.05, 0.06)(1, 1) == 0.05  # a user's bound below the stray bound holds everywhere


@pytest.mark.parametrize("value", ["0", "1.5", "-0.2", "high"])
def test_ingest_refuses_a_story_threshold_out_of_range_in_one_line(tmp_path, capsys, value):
    """`--story-threshold` is a mean cosine: outside 0.01-1 (0 would join every article, above 1 none)
    is one line naming the option, exit 2, nothing read and no database made."""
    from claimdesk.tui.cli import main

    db = tmp_path / "c.db"
    with pytest.raises(SystemExit) as stop:
        main(["ingest", str(ROOT / "sample_data"), "--db", str(db), "--story-threshold", value, "--quiet"])
    err = [line for line in capsys.readouterr().err.splitlines() if "error:" in line]  # after argparse's usage
    assert stop.value.code == 2
    assert len(err) == 1 and "--story-threshold" in err[0], err
    assert "must be from 0.01 to 1" in err[0] or "not a number" in err[0], err
    assert not db.exists()


def test_ingest_story_threshold_sets_the_bound_for_the_run(tmp_path, monkeypatch):
    from claimdesk.tui.cli import main

    monkeypatch.setattr(S, "STORY_THRESHOLD", S.STORY_THRESHOLD)  # the option sets it for the process
    db = tmp_path / "c.db"
    assert main(["ingest", str(ROOT / "sample_data"), "--db", str(db), "--story-threshold", "0.6", "--quiet"]) == 0
    assert S.STORY_THRESHOLD == 0.6
